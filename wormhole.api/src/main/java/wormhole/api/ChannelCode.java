package wormhole.api;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import wormhole.api.internal.WordList;

/**
 * A channel code such as {@code 4242-apple-banana-cherry}: a nameplate (the TCP port in direct mode,
 * the relay-assigned number otherwise) and words. The whole code is the SPAKE2 password, so only the
 * nameplate may ever reach a relay. A legacy code ({@code apple-banana-cherry}, no nameplate) is the
 * Python 0.1.x relay form, whose relay sees the whole code.
 *
 * @param nameplate the number part, or an empty string for a legacy code
 * @param words     the words, at least two
 */
public record ChannelCode(String nameplate, List<String> words) {
    /** Words in a code unless asked otherwise: 3 words of 8 bits. */
    public static final int DEFAULT_WORDS = 3;

    private static final Pattern NAMEPLATE = Pattern.compile("[0-9]{1,10}");
    private static final Pattern WORD = Pattern.compile("[a-z]{1,32}");

    /** Checks the parts. */
    public ChannelCode {
        Objects.requireNonNull(nameplate, "nameplate");
        words = List.copyOf(words);
        if (!nameplate.isEmpty() && !NAMEPLATE.matcher(nameplate).matches()) {
            throw new IllegalArgumentException("a nameplate is 1 to 10 digits");
        }
        if (words.size() < 2 || words.size() > 16) {
            throw new IllegalArgumentException("a code has 2 to 16 words");
        }
        for (String w : words) {
            if (!WORD.matcher(w).matches()) {
                throw new IllegalArgumentException("code words are lowercase letters");
            }
        }
    }

    /**
     * Parses a code typed by a person or an agent: surrounding blanks are ignored and letters are
     * folded to lowercase. A {@code @host} suffix is not part of a code; strip it first.
     *
     * @param text the code
     * @return the code
     * @throws IllegalArgumentException when the text is not a code (the message says why, without
     *                                  repeating the text)
     */
    public static ChannelCode parse(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        if (s.indexOf('@') >= 0) {
            throw new IllegalArgumentException("a code has no '@host' part here");
        }
        String[] parts = s.split("-", -1);
        if (parts.length < 2) {
            throw new IllegalArgumentException("a code looks like 4242-apple-banana-cherry");
        }
        boolean numbered = NAMEPLATE.matcher(parts[0]).matches();
        List<String> words = new ArrayList<>(List.of(parts).subList(numbered ? 1 : 0, parts.length));
        return new ChannelCode(numbered ? parts[0] : "", words);
    }

    /**
     * Makes a new code from the word list.
     *
     * @param nameplate the number part
     * @param wordCount how many words (8 bits each)
     * @param random    the source of the words
     * @return the code
     */
    public static ChannelCode generate(String nameplate, int wordCount, SecureRandom random) {
        List<String> words = new ArrayList<>(wordCount);
        for (int i = 0; i < wordCount; i++) {
            words.add(WordList.WORDS.get(random.nextInt(WordList.WORDS.size())));
        }
        return new ChannelCode(nameplate, words);
    }

    /** @return whether this is a legacy code with no nameplate (a version-1 relay code) */
    public boolean legacy() {
        return nameplate.isEmpty();
    }

    /** @return what a relay sees: the nameplate, or the whole code for a legacy code */
    public String channelId() {
        return legacy() ? text() : nameplate;
    }

    /** @return the SPAKE2 password: the UTF-8 bytes of the whole code */
    public byte[] password() {
        return text().getBytes(StandardCharsets.UTF_8);
    }

    /** @return the code as people type it */
    public String text() {
        return (legacy() ? "" : nameplate + "-") + String.join("-", words);
    }

    /** The code is a secret: it is never part of a record's string form. */
    @Override
    public String toString() {
        return "ChannelCode[" + (legacy() ? "legacy" : nameplate) + "-…]";
    }
}
