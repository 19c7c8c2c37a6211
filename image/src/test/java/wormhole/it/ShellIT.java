package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive shell driven through a pipe (no terminal, so plain lines): two shells, each with
 * its own runtime folder as if on two machines, trade text and files both ways over direct channels.
 */
@Timeout(120)
class ShellIT {
    private static final Duration LINE = Duration.ofSeconds(20);
    private static final Pattern CODE = Pattern.compile("^\\[(\\d+)\\] \\* hosting directly; code (\\S+)$");

    @TempDir
    Path tmp;

    private Image.Running shell(Path runtime) {
        return Image.locate().command("shell").env("XDG_RUNTIME_DIR", runtime.toString()).start();
    }

    private static String hostCode(Image.Running shell) {
        shell.write("host --direct --bind 127.0.0.1\n");
        Matcher m = CODE.matcher(shell.awaitLine(l -> CODE.matcher(l).matches(), LINE));
        assertTrue(m.matches());
        return m.group(2);
    }

    private static String line(Image.Running shell, String exact) {
        return shell.awaitLine(exact::equals, LINE);
    }

    private static String startingWith(Image.Running shell, String prefix) {
        return shell.awaitLine(l -> l.startsWith(prefix), LINE);
    }

    @Test
    void textAndFilesGoBothWaysAndExitLeavesNoFiles() throws IOException {
        Path hostRt = Files.createDirectories(tmp.resolve("host-rt"));
        Path peerRt = Files.createDirectories(tmp.resolve("peer-rt"));
        try (Image.Running host = shell(hostRt); Image.Running peer = shell(peerRt)) {
            String code = hostCode(host);
            line(host, "[1] * the peer types: connect " + code + "@127.0.0.1");
            peer.write("connect " + code + "@127.0.0.1\n");
            String hostConnected = startingWith(host, "[1] * connected to agent-wormhole-java/");
            String peerConnected = startingWith(peer, "[1] * connected to agent-wormhole-java/");
            Matcher v = Pattern.compile("; (verifier \\d{4} \\d{4} \\d{4} \\d{4}) ").matcher(hostConnected);
            assertTrue(v.find(), hostConnected);
            String verifier = v.group(1);
            assertTrue(peerConnected.contains("; " + verifier + " "), peerConnected);

            host.write("send hello   from the host\n");
            line(host, "[1] sent: hello   from the host");
            line(peer, "[1] from peer: hello   from the host");

            peer.write("send and \u001b[31mback\u001b[0m\n");
            line(peer, "[1] sent: and \\x1b[31mback\\x1b[0m");
            line(host, "[1] from peer: and \\x1b[31mback\\x1b[0m");

            Path hostFile = tmp.resolve("from host.txt");
            Files.writeString(hostFile, "host file\n");
            host.write("send --file '" + hostFile + "'\n");
            line(host, "[1] sent: file from host.txt (10 bytes)");
            String got = startingWith(peer, "[1] from peer: file from host.txt (10 bytes) saved to ");
            Path saved = Path.of(got.substring(got.indexOf(" saved to ") + 10));
            assertTrue(saved.startsWith(peerRt), saved::toString);
            assertEquals("host file\n", Files.readString(saved));

            Path peerFile = tmp.resolve("data.bin");
            Files.write(peerFile, new byte[] {0, 1, 2, 3, (byte) 255});
            peer.write("send --file " + peerFile + " --name answer.bin\n");
            line(peer, "[1] sent: file answer.bin (5 bytes)");
            got = startingWith(host, "[1] from peer: file answer.bin (5 bytes) saved to ");
            Path savedOnHost = Path.of(got.substring(got.indexOf(" saved to ") + 10));
            assertTrue(savedOnHost.startsWith(hostRt), savedOnHost::toString);
            assertEquals(5, Files.size(savedOnHost));

            host.write("verify\n");
            line(host, "[1] * " + verifier + ": the same on both ends means no one is in the middle");

            host.write("exit\n");
            assertEquals(0, host.waitFor(LINE));
            line(peer, "[1] * closed by the peer; its files are deleted");
            assertEquals(0, channelFiles(hostRt), "the host's channel folder is gone");
            assertEquals(0, channelFiles(peerRt), "the peer's channel folder is gone");
            assertTrue(Files.notExists(savedOnHost));

            peer.write("status\n");
            line(peer, "no open channels");
            peer.closeStdin();
            assertEquals(0, peer.waitFor(LINE));
        }
    }

    @Test
    void aV1CodeHostAtThePromptTakesAPythonPeerThroughTheRelay() throws Exception {
        Path hostRt = Files.createDirectories(tmp.resolve("host-rt"));
        Image image = Image.locate();
        try (RelayProcess relay = RelayProcess.start(image); Image.Running host = shell(hostRt)) {
            host.write("host --v1-code --relay " + relay.url() + "\n");
            Matcher m = Pattern.compile("^\\[1\\] \\* hosting through the relay; code ([a-z]+-[a-z]+-[a-z]+)$")
                    .matcher(host.awaitLine(l -> l.startsWith("[1] * hosting"), LINE));
            assertTrue(m.matches(), m::toString);
            String code = m.group(1);
            line(host, "[1] * the peer types: connect " + code);
            startingWith(host, "[1] * warning: a Python 0.1.x code has no number; the relay sees the whole code");
            LegacyPythonPeer python = LegacyPythonPeer.join(relay.port, code);
            try {
                python.handshake(LINE);
                startingWith(host, "[1] * connected");
                python.sendSealed("{\"type\": \"text\", \"body\": \"from python\"}");
                line(host, "[1] from peer: from python");
                host.write("send to python\n");
                line(host, "[1] sent: to python");
                assertEquals("to python", Json.parse(python.receiveSealed(LINE)).path("body").asText());
                host.write("exit\n");
                assertEquals(0, host.waitFor(LINE));
                assertEquals(0, channelFiles(hostRt));
            } finally {
                python.shutdown();
            }
        }
    }

    @Test
    void severalChannelsAndUseSwitchesWhereSendGoes() throws IOException {
        Path aRt = Files.createDirectories(tmp.resolve("a-rt"));
        Path bRt = Files.createDirectories(tmp.resolve("b-rt"));
        Path cRt = Files.createDirectories(tmp.resolve("c-rt"));
        try (Image.Running a = shell(aRt); Image.Running b = shell(bRt); Image.Running c = shell(cRt)) {
            String first = hostCode(a);
            b.write("connect " + first + "@127.0.0.1\n");
            startingWith(a, "[1] * connected to ");
            startingWith(b, "[1] * connected to ");
            String second = hostCode(a);
            c.write("connect " + second + "@127.0.0.1\n");
            startingWith(a, "[2] * connected to ");
            startingWith(c, "[1] * connected to ");

            a.write("send to the newest\n");
            line(a, "[2] sent: to the newest");
            line(c, "[1] from peer: to the newest");

            a.write("use 1\n");
            line(a, "[1] * send now goes to channel 1");
            a.write("send to the first\n");
            line(a, "[1] sent: to the first");
            line(b, "[1] from peer: to the first");

            a.write("status\n");
            line(a, "* [1] host direct " + first + " connected");
            line(a, "  [2] host direct " + second + " connected");

            c.write("close\n");
            line(c, "[1] * closed; its files are deleted");
            line(a, "[2] * closed by the peer; its files are deleted");
            assertEquals(0, channelFiles(cRt));

            a.closeStdin(); // end of input closes what is left, like exit
            assertEquals(0, a.waitFor(LINE));
            line(b, "[1] * closed by the peer; its files are deleted");
            assertEquals(0, channelFiles(aRt));
            assertEquals(0, channelFiles(bRt));
        }
    }

    @Test
    void aWrongCodeIsOneLineAndNoStackTrace() throws IOException {
        Path hostRt = Files.createDirectories(tmp.resolve("host-rt"));
        Path peerRt = Files.createDirectories(tmp.resolve("peer-rt"));
        try (Image.Running host = shell(hostRt); Image.Running peer = shell(peerRt)) {
            String code = hostCode(host);
            String wrong = code.substring(0, code.indexOf('-')) + "-wrong-words-here";
            peer.write("connect " + wrong + "@127.0.0.1\n");
            startingWith(peer, "[1] * handshake failed (wrong code?)");
            startingWith(host, "[1] * handshake failed (wrong code?)");
            peer.write("connect 1-a-b@127.0.0.1\n");
            startingWith(peer, "[2] * connection failed");
            peer.write("connect nonsense\n");
            line(peer, "error: not a channel code: a code looks like 4242-apple-banana-cherry");
            peer.write("exit\n");
            assertEquals(0, peer.waitFor(LINE));
            assertTrue(peer.linesSoFar().stream().noneMatch(l -> l.contains("Exception") || l.startsWith("\tat ")), peer.linesSoFar()::toString);
            assertEquals(0, channelFiles(peerRt));
        }
    }

    /** Files left under a runtime folder, apart from the per-user key. */
    static long channelFiles(Path runtime) throws IOException {
        Path root = runtime.resolve("agent-wormhole");
        if (!Files.exists(root)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.equals(root) && !p.getFileName().toString().equals(".key")).count();
        }
    }
}
