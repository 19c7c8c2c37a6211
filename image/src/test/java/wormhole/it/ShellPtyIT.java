package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell on a real pseudo-terminal (util-linux {@code script} makes one): jline's line editor,
 * messages printed above a half-typed line without breaking it, tab completion, Ctrl-C and Ctrl-D.
 */
@Timeout(120)
class ShellPtyIT {
    private static final Path SCRIPT = Path.of("/usr/bin/script");
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** CSI and OSC sequences, keypad modes and carriage returns: what a terminal would act on, not show. */
    private static final Pattern CONTROL = Pattern.compile("\u001b\\[[0-9;?$>=]*[ -/]*[@-~]|\u001b\\][^\u0007]*\u0007|\u001b[=>]|\r");

    @TempDir
    Path tmp;

    /** A process on a pseudo-terminal: everything it prints is kept, and keys are typed into it. */
    private static final class Pty implements AutoCloseable {
        private final Process process;
        private final ByteArrayOutputStream screen = new ByteArrayOutputStream();

        Pty(Path launcher, Path runtime) throws IOException {
            String command = "stty cols 200 rows 50; exec " + launcher + " shell";
            ProcessBuilder b = new ProcessBuilder(SCRIPT.toString(), "-qfec", command, "/dev/null");
            b.environment().put("XDG_RUNTIME_DIR", runtime.toString());
            b.environment().put("TERM", "xterm");
            b.redirectErrorStream(true);
            process = b.start();
            Thread reader = new Thread(this::pump, "pty reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void pump() {
            try (InputStream in = process.getInputStream()) {
                byte[] buf = new byte[4096];
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    synchronized (screen) {
                        screen.write(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }

        String raw() {
            synchronized (screen) {
                return screen.toString(StandardCharsets.UTF_8);
            }
        }

        /** What was printed, without terminal control sequences. */
        String text() {
            return CONTROL.matcher(raw()).replaceAll("");
        }

        void type(String keys) throws IOException {
            OutputStream out = process.getOutputStream();
            out.write(keys.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** Waits until the text printed after {@code from} characters matches, and returns the match. */
        Matcher await(Pattern pattern, int from) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                String t = text();
                Matcher m = pattern.matcher(t);
                if (m.find(Math.min(from, t.length()))) {
                    return m;
                }
                Thread.sleep(20);
            }
            throw new AssertionError("no " + pattern + " on the terminal within " + WAIT + "; it shows:\n" + text());
        }

        Matcher await(String literal, int from) throws InterruptedException {
            return await(Pattern.compile(Pattern.quote(literal)), from);
        }

        @Override
        public void close() {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
    }

    @Test
    void aMessageArrivingMidLineLeavesTheLineIntact() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(SCRIPT), "util-linux script is needed for a pseudo-terminal");
        Image image = Image.locate();
        Path hostRt = Files.createDirectories(tmp.resolve("host-rt"));
        Path peerRt = Files.createDirectories(tmp.resolve("peer-rt"));
        try (Pty host = new Pty(image.launcher(), hostRt);
                Image.Running peer = image.command("shell").env("XDG_RUNTIME_DIR", peerRt.toString()).start()) {
            host.await("wormhole> ", 0);
            // Tab completes the command and the option.
            host.type("ho\t--di\t --bind 127.0.0.1\r");
            Matcher code = host.await(Pattern.compile("code (\\d+-[a-z-]+)"), 0);
            peer.write("connect " + code.group(1) + "@127.0.0.1\n");
            peer.awaitLine(l -> l.startsWith("[1] * connected to "), WAIT);
            int connectedAt = host.await("[1] * connected to ", 0).end();
            host.await("wormhole [1]> ", connectedAt);

            // Half a line typed, then the peer's message arrives.
            int before = host.text().length();
            host.type("send half typ");
            host.await("send half typ", before);
            int typedAt = host.text().length();
            peer.write("send surprise from the peer\n");
            int arrivedAt = host.await("[1] from peer: surprise from the peer", typedAt).end();
            // The prompt and the half-typed line are drawn again below the message...
            host.await("wormhole [1]> send half typ", arrivedAt);
            // ...and finishing the line sends exactly what was typed, both halves.
            host.type("ed line\r");
            peer.awaitLine("[1] from peer: half typed line"::equals, WAIT);

            // Ctrl-C throws the line away; nothing of it runs. Keys are typed at a prompt, as a person
            // would: typed ahead while a command runs, the terminal is not yet in jline's raw mode.
            int sentAt = host.await("[1] sent: half typed line", arrivedAt).end();
            int cancelAt = host.await("wormhole [1]> ", sentAt).end();
            host.type("frobnicate\u0003");
            host.await("wormhole [1]> ", host.await("frobnicate", cancelAt).end());
            host.type("status\r");
            int statusAt = host.await(Pattern.compile("\\* \\[1\\] host direct \\S+ connected"), cancelAt).end();
            assertFalse(host.text().substring(cancelAt).contains("unknown command"), host.text());

            // Path completion after --file.
            Files.writeString(tmp.resolve("completion-target.txt"), "done by tab\n");
            host.await("wormhole [1]> ", statusAt);
            host.type("send --file " + tmp + "/completion-ta\t\r");
            int fileAt = host.await("[1] sent: file completion-target.txt (12 bytes)", statusAt).end();
            peer.awaitLine(l -> l.startsWith("[1] from peer: file completion-target.txt (12 bytes) saved to "), WAIT);

            // Ctrl-D on an empty line closes every channel and leaves.
            host.await("wormhole [1]> ", fileAt);
            host.type("\u0004");
            assertTrue(host.process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), host::text);
            assertEquals(0, host.process.exitValue(), host::text);
            peer.awaitLine("[1] * closed by the peer; its files are deleted"::equals, WAIT);
            assertEquals(0, ShellIT.channelFiles(hostRt), "the host's channel folder is gone");
            assertTrue(host.raw().indexOf('\u001b') >= 0, "jline drove a real terminal, not the plain mode");
            assertTrue(List.of(host.text().split("\n")).stream().noneMatch(l -> l.contains("Exception")), host::text);
            peer.write("exit\n");
            assertEquals(0, peer.waitFor(WAIT));
        }
    }
}
