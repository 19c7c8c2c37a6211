package wormhole.shell.interactive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ShellParserTest {
    @Test
    void sendTakesTheRestOfTheLineAsTyped() throws ShellInputException {
        assertEquals(new ShellCommand.SendText("it's  \"quoted\"   and spaced"), ShellParser.parse("send it's  \"quoted\"   and spaced"));
    }

    @Test
    void sendWithADoubleDashSendsTextThatLooksLikeAnOption() throws ShellInputException {
        assertEquals(new ShellCommand.SendText("--file is a flag"), ShellParser.parse("send -- --file is a flag"));
    }

    @Test
    void sendFileTakesAQuotedPathAndAName() throws ShellInputException {
        assertEquals(new ShellCommand.SendFile(Path.of("/tmp/my report.pdf"), Optional.of("r.pdf")),
                ShellParser.parse("send --file '/tmp/my report.pdf' --name r.pdf"));
        assertEquals(new ShellCommand.SendFile(Path.of("/tmp/my report.pdf"), Optional.empty()),
                ShellParser.parse("send --file /tmp/my\\ report.pdf"));
    }

    @Test
    void sendWithNothingIsAnError() {
        assertTrue(assertThrows(ShellInputException.class, () -> ShellParser.parse("send  ")).getMessage().contains("send what?"));
        assertThrows(ShellInputException.class, () -> ShellParser.parse("send --file"));
        assertThrows(ShellInputException.class, () -> ShellParser.parse("send --name x"));
    }

    @Test
    void hostReadsItsOptions() throws ShellInputException {
        assertEquals(new ShellCommand.Host(true, "127.0.0.1", 4242, Optional.empty(), 4, false),
                ShellParser.parse("host --direct --bind 127.0.0.1 --port=4242 --words 4"));
        assertEquals(new ShellCommand.Host(false, "0.0.0.0", 0, Optional.of("ws://r:4747"), 3, false),
                ShellParser.parse("host --relay ws://r:4747"));
        assertEquals(new ShellCommand.Host(false, "0.0.0.0", 0, Optional.of("ws://r:4747"), 3, true),
                ShellParser.parse("host --v1-code --relay ws://r:4747"));
    }

    @Test
    void v1CodeIsForRelaysAndHasThreeWords() {
        assertThrows(ShellInputException.class, () -> ShellParser.parse("host --direct --v1-code"));
        assertThrows(ShellInputException.class, () -> ShellParser.parse("host --v1-code --words 4"));
    }

    @Test
    void hostRefusesDirectOptionsWithoutDirectAndBadNumbers() {
        assertThrows(ShellInputException.class, () -> ShellParser.parse("host --port 4242"));
        assertThrows(ShellInputException.class, () -> ShellParser.parse("host --direct --port 70000"));
        assertThrows(ShellInputException.class, () -> ShellParser.parse("host --direct --words x"));
        assertThrows(ShellInputException.class, () -> ShellParser.parse("host --direct --relay ws://r"));
        assertTrue(assertThrows(ShellInputException.class, () -> ShellParser.parse("host --bogus")).getMessage()
                .startsWith("unknown option --bogus for host"));
    }

    @Test
    void connectSplitsTheHostOff() throws ShellInputException {
        assertEquals(new ShellCommand.Connect("4242-a-b-c", Optional.of("10.0.0.2"), Optional.empty()),
                ShellParser.parse("connect 4242-a-b-c@10.0.0.2"));
        assertEquals(new ShellCommand.Connect("4242-a-b-c", Optional.empty(), Optional.of("ws://r")),
                ShellParser.parse("connect 4242-a-b-c --relay ws://r"));
        assertThrows(ShellInputException.class, () -> ShellParser.parse("connect"));
        assertThrows(ShellInputException.class, () -> ShellParser.parse("connect a b"));
    }

    @Test
    void channelNumbersForUseAndClose() throws ShellInputException {
        assertEquals(new ShellCommand.Use(2), ShellParser.parse("use 2"));
        assertEquals(new ShellCommand.Use(3), ShellParser.parse("use #3"));
        assertEquals(new ShellCommand.Close(Optional.empty()), ShellParser.parse("close"));
        assertEquals(new ShellCommand.Close(Optional.of(1)), ShellParser.parse("close 1"));
        assertThrows(ShellInputException.class, () -> ShellParser.parse("use"));
        assertThrows(ShellInputException.class, () -> ShellParser.parse("use zero"));
        assertThrows(ShellInputException.class, () -> ShellParser.parse("close 0"));
    }

    @Test
    void simpleCommandsAndBlankLines() throws ShellInputException {
        assertEquals(new ShellCommand.Nothing(), ShellParser.parse("   "));
        assertEquals(new ShellCommand.Status(), ShellParser.parse("status"));
        assertEquals(new ShellCommand.Verify(), ShellParser.parse(" verify "));
        assertEquals(new ShellCommand.Help(), ShellParser.parse("help"));
        assertEquals(new ShellCommand.Exit(), ShellParser.parse("exit"));
        assertEquals(new ShellCommand.Exit(), ShellParser.parse("quit"));
        assertThrows(ShellInputException.class, () -> ShellParser.parse("status now"));
    }

    @Test
    void anUnknownCommandIsOneSafeLine() {
        String message = assertThrows(ShellInputException.class, () -> ShellParser.parse("sned\u001b[2J hi")).getMessage();
        assertEquals("unknown command 'sned\\x1b[2J'; type help for the list", message);
    }

    @Test
    void wordsFollowShellQuoting() throws ShellInputException {
        assertEquals(List.of("a b", "c\"d", "e f", "g"), ShellParser.words(" 'a b' \"c\\\"d\" e\\ f g "));
        assertThrows(ShellInputException.class, () -> ShellParser.words("'open"));
    }

    @Test
    void everyCommandInTheTableParses() {
        for (ShellSyntax.Entry e : ShellSyntax.ALL) {
            String sample = switch (e.name()) {
                case "connect" -> "connect 4242-a-b";
                case "send" -> "send x";
                case "use" -> "use 1";
                default -> e.name();
            };
            try {
                ShellParser.parse(sample);
            } catch (ShellInputException ex) {
                throw new AssertionError(sample + ": " + ex.getMessage(), ex);
            }
        }
    }
}
