package wormhole.shell.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SanitizerTest {
    @Test
    void escapeSequencesAreShownNotObeyed() {
        assertEquals("\\x1b[2J\\x1b]0;owned\\x07", Sanitizer.inline("\u001b[2J\u001b]0;owned\u0007"));
    }

    @Test
    void carriageReturnAndC1CodesAreEscaped() {
        assertEquals("fake\\x0dline \\x9b31m", Sanitizer.inline("fake\rline \u009b31m"));
    }

    @Test
    void bidiOverridesAndZeroWidthCharactersAreEscaped() {
        assertEquals("abc\\u202etxt.exe\\u200b", Sanitizer.inline("abc\u202etxt.exe\u200b"));
    }

    @Test
    void newlinesSplitLinesAndTabsStay() {
        assertEquals(List.of("one", "\ttwo", "", "three"), Sanitizer.lines("one\n\ttwo\r\n\nthree\n"));
        assertEquals(List.of(""), Sanitizer.lines(""));
        assertEquals("a\\x0ab", Sanitizer.inline("a\nb"));
    }

    @Test
    void ordinaryTextIsUnchanged() {
        String text = "héllo wörld — 你好 🙂 \\x1b";
        assertEquals(text, Sanitizer.inline(text));
    }
}
