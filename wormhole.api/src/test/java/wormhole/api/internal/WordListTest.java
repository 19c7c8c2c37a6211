package wormhole.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WordListTest {

    @Test
    void holds256DistinctWords() {
        assertEquals(256, WordList.WORDS.size());
        assertEquals(256, Set.copyOf(WordList.WORDS).size());
    }

    @Test
    void wordsAreShortLowercaseLetters() {
        for (String w : WordList.WORDS) {
            assertTrue(w.matches("[a-z]{3,8}"), w);
        }
    }

    @Test
    void noTwoWordsShareTheirFirstFourLetters() {
        Set<String> prefixes = new HashSet<>();
        for (String w : WordList.WORDS) {
            String prefix = w.substring(0, Math.min(4, w.length()));
            assertTrue(prefixes.add(prefix), "prefix taken twice: " + prefix);
        }
    }

    @Test
    void containsKnowsTheWords() {
        assertTrue(WordList.contains(WordList.WORDS.get(0)));
        assertTrue(WordList.contains(WordList.WORDS.get(255)));
        assertFalse(WordList.contains("Acid"));
        assertFalse(WordList.contains("notaword"));
    }
}
