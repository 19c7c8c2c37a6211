package wormhole.shell.interactive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import wormhole.api.Wormhole;

/** The shell without a terminal: plain lines in, plain lines out, every failure one line. */
@Timeout(30)
class ShellPlainTest {
    @TempDir
    Path tmp;

    private final AtomicInteger folders = new AtomicInteger();

    /** No transport is on this module's test path, so hosting fails as an unreachable relay would. */
    private final ShellSupport support = new ShellSupport() {
        @Override
        public Folder newFolder() throws IOException {
            Path dir = Files.createDirectory(tmp.resolve("ch-" + folders.incrementAndGet()));
            return new Folder() {
                @Override
                public Path inbox() {
                    return dir.resolve("received");
                }

                @Override
                public void delete() throws IOException {
                    Files.deleteIfExists(dir);
                }
            };
        }

        @Override
        public URI directHost(String bind, int port) {
            return URI.create("tcp://" + bind + ":" + port);
        }

        @Override
        public URI directPeer(String host, String nameplate) {
            return URI.create("tcp://" + host + ":" + nameplate);
        }

        @Override
        public URI relay(Optional<String> flag) throws ShellInputException {
            if (flag.isPresent() && flag.get().startsWith("hostile")) {
                // an error text that came from elsewhere (a relay, a peer) and carries terminal controls
                throw new ShellInputException("the relay said: \u001b[2J\u001b]0;owned\u0007\u009b31m\u202egone");
            }
            return URI.create(flag.orElseThrow(() -> new ShellInputException("no relay configured")));
        }

        @Override
        public Wormhole.Builder wormhole() {
            return Wormhole.builder();
        }
    };

    private List<String> session(String input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Shell.run(support, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(0, status);
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void eachFailureIsOneErrorLineAndTheShellGoesOn() {
        List<String> lines = session("""
                frobnicate
                send hello
                host
                host --direct --bind 127.0.0.1
                connect not-a-code-at-all!
                use 4
                verify
                status
                """);
        assertEquals(List.of(
                "error: unknown command 'frobnicate'; type help for the list",
                "error: no open channel: host or connect first",
                "error: no relay configured"), lines.subList(1, 4));
        assertTrue(lines.get(4).startsWith("error: could not host: "), lines::toString);
        assertEquals("error: not a channel code: code words are lowercase letters", lines.get(5));
        assertEquals("error: no channel 4; status lists them", lines.get(6));
        assertEquals("error: no open channel: host or connect first", lines.get(7));
        assertEquals("no open channels", lines.get(8));
        assertEquals(9, lines.size(), lines::toString);
        assertFalse(lines.stream().anyMatch(l -> l.contains("Exception") || l.contains("\tat ")), lines::toString);
    }

    @Test
    void anErrorTextWithTerminalControlsIsPrintedHarmlessly() {
        List<String> lines = session("host --relay hostile\n");
        assertEquals("error: the relay said: \\x1b[2J\\x1b]0;owned\\x07\\x9b31m\\u202egone", lines.get(1));
        assertTrue(lines.stream().allMatch(l -> l.chars().allMatch(c -> c >= 0x20 && c < 0x7f || c == '\t')), lines::toString);
    }

    @Test
    void aFailedHostLeavesNoFolder() throws IOException {
        session("host --direct --bind 127.0.0.1\n");
        assertEquals(1, folders.get());
        try (var s = Files.list(tmp)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void helpSaysWhereHistoryLives() {
        List<String> lines = session("help\nexit\nstatus\n");
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("history: ") && l.contains("nothing is ever saved to disk")), lines::toString);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  send <text>")), lines::toString);
        assertFalse(lines.contains("no open channels"), "exit must leave before the next line");
    }
}
