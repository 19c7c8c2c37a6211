package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * A host and a peer of one direct channel, as two real {@code agent-wormhole} processes on
 * 127.0.0.1, each with its own runtime folder as if on two machines.
 */
final class Pair implements AutoCloseable {
    static final Duration LINE = Duration.ofSeconds(20);

    final Image image;
    final Path hostRuntime;
    final Path peerRuntime;
    final Image.Running host;
    final String code;
    Image.Running peer;

    private Pair(Image image, Path hostRuntime, Path peerRuntime, Image.Running host, String code) {
        this.image = image;
        this.hostRuntime = hostRuntime;
        this.peerRuntime = peerRuntime;
        this.host = host;
        this.code = code;
    }

    /** Starts a direct host on 127.0.0.1 and reads its code. */
    static Pair host(Image image, Path tmp, String... extra) throws IOException {
        Path hostRt = Files.createDirectories(tmp.resolve("host-rt"));
        Path peerRt = Files.createDirectories(tmp.resolve("peer-rt"));
        String[] args = Stream.concat(Stream.of("host", "--direct", "--bind", "127.0.0.1"), Stream.of(extra)).toArray(String[]::new);
        Image.Running host = image.command(args).env("XDG_RUNTIME_DIR", hostRt.toString()).start();
        JsonNode channel = Json.parse(host.awaitLine(Json.status("channel"), LINE));
        return new Pair(image, hostRt, peerRt, host, channel.path("code").asText());
    }

    /** Starts a direct host and a peer (both with the extra options), and waits until both report connected. */
    static Pair connected(Image image, Path tmp, String... extra) throws IOException {
        Pair p = host(image, tmp, extra);
        p.connectPeer(p.code + "@127.0.0.1", extra);
        p.host.awaitLine(Json.status("connected"), LINE);
        p.peer.awaitLine(Json.status("connected"), LINE);
        return p;
    }

    void connectPeer(String codeArgument, String... extra) {
        String[] args = Stream.concat(Stream.of("connect", codeArgument), Stream.of(extra)).toArray(String[]::new);
        peer = image.command(args).env("XDG_RUNTIME_DIR", peerRuntime.toString()).start();
    }

    int port() {
        return Integer.parseInt(code.substring(0, code.indexOf('-')));
    }

    /** Runs {@code send} on the host's machine. */
    Image.Result sendFromHost(String... args) {
        return send(hostRuntime, null, args);
    }

    /** Runs {@code send} on the peer's machine. */
    Image.Result sendFromPeer(String... args) {
        return send(peerRuntime, null, args);
    }

    Image.Result send(Path runtime, String stdin, String... args) {
        String[] all = Stream.concat(Stream.of("send", code), Stream.of(args)).toArray(String[]::new);
        Image.Command c = image.command(all).env("XDG_RUNTIME_DIR", runtime.toString());
        if (stdin != null) {
            c.stdin(stdin);
        }
        return c.run();
    }

    /** Asserts that a send succeeded and printed one "sent" line. */
    static JsonNode sent(Image.Result r) {
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(1, r.stdoutLines().size(), r::toString);
        JsonNode n = Json.parse(r.stdoutLines().get(0));
        assertEquals("sent", n.path("type").asText(), r::toString);
        return n;
    }

    /**
     * Asserts how both ends finished: each one's last status event and exit status, and that neither
     * left a file of the channel behind.
     */
    void assertEnded(String hostEvent, int hostExit, String peerEvent, int peerExit) throws IOException {
        Duration exit = Duration.ofSeconds(20);
        host.awaitLine(Json.status(hostEvent), LINE);
        peer.awaitLine(Json.status(peerEvent), LINE);
        assertEquals(hostExit, host.waitFor(exit), () -> host.linesSoFar().toString());
        assertEquals(peerExit, peer.waitFor(exit), () -> peer.linesSoFar().toString());
        assertEquals(0, channelFiles(hostRuntime), "files left on the host's side");
        assertEquals(0, channelFiles(peerRuntime), "files left on the peer's side");
    }

    /** Lists every file left under a runtime folder, apart from the per-user key. */
    static long channelFiles(Path runtime) throws IOException {
        Path root = runtime.resolve("agent-wormhole");
        if (!Files.exists(root)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.equals(root) && !p.getFileName().toString().equals(".key")).count();
        }
    }

    @Override
    public void close() {
        host.close();
        if (peer != null) {
            peer.close();
        }
    }
}
