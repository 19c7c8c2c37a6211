package wormhole.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A host and a peer of the image joined on 127.0.0.1, directly or through a relay, each with its own
 * {@code XDG_RUNTIME_DIR}. The host sends; the peer receives (and gets the receiver's JVM options).
 */
final class ChannelPair implements AutoCloseable {
    private static final Pattern CODE = Pattern.compile("\"code\":\"([^\"]+)\"");
    static final long LINE_TIMEOUT_MILLIS = 30_000;

    final ImageProcess host;
    final ImageProcess peer;
    final Path hostRuntime;
    final String code;
    /** Host start to both ends' {@code connected} lines, in nanoseconds. */
    final long handshakeNanos;

    private ChannelPair(ImageProcess host, ImageProcess peer, Path hostRuntime, String code, long handshakeNanos) {
        this.host = host;
        this.peer = peer;
        this.hostRuntime = hostRuntime;
        this.code = code;
        this.handshakeNanos = handshakeNanos;
    }

    /**
     * Starts both ends and waits until both are connected.
     *
     * @param launcher      the image
     * @param dir           a fresh folder for both runtime folders
     * @param relayUrl      the relay, or null for direct mode
     * @param receiverOpts  the peer's {@code AGENT_WORMHOLE_JAVA_OPTS}, or null
     */
    static ChannelPair open(Launcher launcher, Path dir, String relayUrl, String receiverOpts)
            throws IOException, InterruptedException, BenchmarkException {
        Path hostRt = Files.createDirectories(dir.resolve("host"));
        Path peerRt = Files.createDirectories(dir.resolve("peer"));
        String mode = relayUrl == null ? "direct" : "relay";
        long t0 = System.nanoTime();
        ImageProcess host = relayUrl == null
                ? launcher.start(mode + "-host", hostRt, null, "host", "--direct", "--bind", "127.0.0.1")
                : launcher.start(mode + "-host", hostRt, null, "host", "--relay", relayUrl);
        ImageProcess peer = null;
        try {
            String channel = host.awaitLine("\"event\":\"channel\"", LINE_TIMEOUT_MILLIS).text();
            Matcher m = CODE.matcher(channel);
            if (!m.find()) {
                throw host.failure("printed no code: " + channel);
            }
            String code = m.group(1);
            peer = relayUrl == null
                    ? launcher.start(mode + "-peer", peerRt, receiverOpts, "connect", code + "@127.0.0.1")
                    : launcher.start(mode + "-peer", peerRt, receiverOpts, "connect", code, "--relay", relayUrl);
            peer.awaitLine("\"event\":\"connected\"", LINE_TIMEOUT_MILLIS);
            host.awaitLine("\"event\":\"connected\"", LINE_TIMEOUT_MILLIS);
            return new ChannelPair(host, peer, hostRt, code, System.nanoTime() - t0);
        } catch (IOException | InterruptedException | BenchmarkException | RuntimeException e) {
            if (peer != null) {
                peer.close();
            }
            host.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            peer.close();
        } finally {
            host.close();
        }
    }
}
