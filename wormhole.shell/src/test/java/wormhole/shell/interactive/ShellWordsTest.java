package wormhole.shell.interactive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where jline's DefaultParser and a POSIX shell could part, the shell does what its user expects. */
class ShellWordsTest {
    @Test
    void aQuotedOptionValueAfterAnEqualsSignLosesItsQuotes() throws ShellInputException {
        assertEquals(List.of("--file", "/tmp/my report.pdf", "--name", "a b"),
                ShellWords.split("--file='/tmp/my report.pdf' --name=\"a b\""));
        assertEquals(new ShellCommand.SendFile(Path.of("/tmp/my report.pdf"), Optional.of("r 1.pdf")),
                ShellParser.parse("send --file='/tmp/my report.pdf' --name=\"r 1.pdf\""));
    }

    @Test
    void onlyTheFirstEqualsSignOfABareOptionNameSplits() throws ShellInputException {
        assertEquals(List.of("--relay", "ws://r:4747/?a=b"), ShellWords.split("--relay=ws://r:4747/?a=b"));
        assertEquals(List.of("a=b", "--x=y", "--x=y"), ShellWords.split("a=b '--x=y' --x\\=y"));
    }

    @Test
    void aFlagGivenAValueIsStillRefused() {
        assertThrows(ShellInputException.class, () -> ShellParser.parse("host --direct=yes"));
        assertThrows(ShellInputException.class, () -> ShellParser.parse("host --direct --port="));
    }

    @Test
    void backslashesInsideQuotes() throws ShellInputException {
        assertEquals(List.of("a\\b", "it's"), ShellWords.split("'a\\b' 'it\\'s'"), "single quotes: only \\' escapes");
        assertEquals(List.of("cost $5", "a\\b", "a\\nb"), ShellWords.split("\"cost \\$5\" \"a\\\\b\" \"a\\nb\""),
                "double quotes: \\\" \\\\ \\$ escape, other backslashes stay");
    }

    @Test
    void quotesInsideAWordAndEmptyWords() throws ShellInputException {
        assertEquals(List.of("--name", "", "x"), ShellWords.split("--name '' x"));
        assertEquals(List.of("a\"b", "a'b"), ShellWords.split("'a\"b' \"a'b\""));
        assertEquals(List.of("/tmp/my report.pdf"), ShellWords.split("/tmp/my\\ report.pdf"));
    }

    @Test
    void aTrailingBackslashEscapesNothingAndIsDropped() throws ShellInputException {
        // the old tokenizer kept it; jline drops it, and a one-line shell has no next line to join
        assertEquals(List.of("--file", "/tmp/dir"), ShellWords.split("--file /tmp/dir\\"));
    }

    @Test
    void anUnclosedQuoteIsOneClearError() {
        assertEquals("a quote is not closed", assertThrows(ShellInputException.class, () -> ShellWords.split("a \"b c")).getMessage());
        assertTrue(assertThrows(ShellInputException.class, () -> ShellParser.parse("send --file 'x")).getMessage().contains("quote"));
    }
}
