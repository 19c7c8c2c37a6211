package wormhole.api.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The project's 256 code words: short, common, lowercase, no two sharing their first four letters,
 * so each word carries 8 bits and a mistyped word is easy to spot.
 */
public final class WordList {
    /** The words, in order; a word's index is its 8-bit value. */
    public static final List<String> WORDS = load();
    private static final Set<String> SET = Set.copyOf(WORDS);

    private WordList() {
    }

    /**
     * @param word a candidate word
     * @return whether it is one of the code words
     */
    public static boolean contains(String word) {
        return SET.contains(word);
    }

    private static List<String> load() {
        try (InputStream in = WordList.class.getResourceAsStream("words.txt")) {
            if (in == null) {
                throw new IllegalStateException("words.txt is missing from wormhole.api");
            }
            List<String> words = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .lines().map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableList());
            if (words.size() != 256) {
                throw new IllegalStateException("words.txt must hold 256 words, not " + words.size());
            }
            return words;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
