package wormhole.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import wormhole.api.internal.WordList;

class ChannelCodeTest {

    @Test
    void parseAndTextRoundTrip() {
        ChannelCode code = ChannelCode.parse("4242-apple-banana-cherry");
        assertEquals("4242", code.nameplate());
        assertEquals(List.of("apple", "banana", "cherry"), code.words());
        assertEquals("4242-apple-banana-cherry", code.text());
        assertEquals(code, ChannelCode.parse(code.text()));
        assertFalse(code.legacy());
        assertEquals("4242", code.channelId());
        assertArrayEquals("4242-apple-banana-cherry".getBytes(StandardCharsets.UTF_8), code.password());
    }

    @Test
    void parseFoldsCaseAndIgnoresSurroundingBlanks() {
        assertEquals(ChannelCode.parse("7-orbit-velvet-canyon"), ChannelCode.parse("  7-Orbit-VELVET-canyon\n"));
    }

    @Test
    void legacyCodesHaveNoNameplateAndTheRelaySeesTheWholeCode() {
        ChannelCode code = ChannelCode.parse("apple-banana-cherry");
        assertTrue(code.legacy());
        assertEquals("", code.nameplate());
        assertEquals("apple-banana-cherry", code.text());
        assertEquals("apple-banana-cherry", code.channelId());
        assertArrayEquals("apple-banana-cherry".getBytes(StandardCharsets.UTF_8), code.password());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "4242-apple-banana-cherry@example.org", "apple@host", // an @host part
        "4242", "12345", // digits only
        "apple", "4242-apple", // one word
        "4242-app1e-banana", "4242-apple-ban_ana", "4242-äpple-banana", "4242-apple-banana-", "4242--apple-banana",
        "4242 apple banana", "", "   ", "-", // not letters, empty words
        "12345678901-apple-banana", // a nameplate of 11 digits
        "1-a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q", // 17 words
    })
    void rejectsWhatIsNotACode(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChannelCode.parse(text));
        if (text.length() > 6) {
            assertFalse(e.getMessage().contains(text), "the message repeats the code: " + e.getMessage());
        }
    }

    @Test
    void sixteenWordsAreAccepted() {
        assertEquals(16, ChannelCode.parse("1-a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p").words().size());
    }

    @Test
    void toStringNeverShowsTheWords() {
        ChannelCode code = ChannelCode.parse("4242-apple-banana-cherry");
        for (String shown : List.of(code.toString(), String.valueOf(List.of(code)),
                ChannelCode.parse("apple-banana-cherry").toString())) {
            assertFalse(shown.contains("apple") || shown.contains("banana") || shown.contains("cherry"), shown);
        }
        assertTrue(code.toString().contains("4242"));
    }

    @Test
    void generateDrawsWordsFromTheWordList() {
        SecureRandom random = new SecureRandom();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            ChannelCode code = ChannelCode.generate("17", 3, random);
            assertEquals("17", code.nameplate());
            assertEquals(3, code.words().size());
            for (String w : code.words()) {
                assertTrue(WordList.contains(w), w);
            }
            assertEquals(code, ChannelCode.parse(code.text()));
            seen.addAll(code.words());
        }
        assertTrue(seen.size() > 100, "600 draws from 256 words gave only " + seen.size());
        assertEquals(5, ChannelCode.generate("1", 5, random).words().size());
    }

    @Test
    void theRecordRefusesBadParts() {
        assertThrows(IllegalArgumentException.class, () -> new ChannelCode("x1", List.of("apple", "banana")));
        assertThrows(IllegalArgumentException.class, () -> new ChannelCode("1", List.of("apple")));
        assertThrows(IllegalArgumentException.class, () -> new ChannelCode("1", List.of("Apple", "banana")));
        assertThrows(NullPointerException.class, () -> new ChannelCode(null, List.of("apple", "banana")));
    }
}
