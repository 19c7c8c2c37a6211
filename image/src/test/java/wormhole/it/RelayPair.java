package wormhole.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * A host and a peer of one relay channel, as two real {@code agent-wormhole} processes, each with
 * its own runtime folder as if on two machines. Each end names its own relay URL, so one of them can
 * go through a proxy.
 */
final class RelayPair implements AutoCloseable {
    final Image image;
    final Path tmp;
    final Path hostRuntime;
    final Path peerRuntime;
    final Image.Running host;
    final String code;
    Image.Running peer;

    private RelayPair(Image image, Path tmp, Path hostRuntime, Path peerRuntime, Image.Running host, String code) {
        this.image = image;
        this.tmp = tmp;
        this.hostRuntime = hostRuntime;
        this.peerRuntime = peerRuntime;
        this.host = host;
        this.code = code;
    }

    /** Starts a host on the relay and reads its code. */
    static RelayPair host(Image image, Path tmp, String relayUrl) throws IOException {
        Path hostRt = Files.createDirectories(tmp.resolve("host-rt"));
        Path peerRt = Files.createDirectories(tmp.resolve("peer-rt"));
        Image.Running host = command(image, tmp, hostRt, "host", "--relay", relayUrl).start();
        try {
            JsonNode channel = Json.parse(host.awaitLine(Json.status("channel"), Pair.LINE));
            return new RelayPair(image, tmp, hostRt, peerRt, host, channel.path("code").asText());
        } catch (RuntimeException | AssertionError e) {
            host.close();
            throw e;
        }
    }

    /** Starts a host and a peer (each with its relay URL) and waits until both report connected. */
    static RelayPair connected(Image image, Path tmp, String hostRelay, String peerRelay) throws IOException {
        RelayPair p = host(image, tmp, hostRelay);
        try {
            p.connectPeer(p.code, peerRelay);
            p.host.awaitLine(Json.status("connected"), Pair.LINE);
            p.peer.awaitLine(Json.status("connected"), Pair.LINE);
            return p;
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + p.stopAndReport(), e);
        }
    }

    /**
     * Stops both ends and tells what each printed, for a failure message: a test's failure then says
     * why the channel ended, not only that it did.
     */
    String stopAndReport() {
        close();
        StringBuilder report = new StringBuilder();
        for (Image.Running end : peer == null ? List.of(host) : List.of(host, peer)) {
            String stderr;
            try {
                stderr = end.stderr(Duration.ofSeconds(5));
            } catch (AssertionError e) {
                stderr = e.getMessage();
            }
            report.append(end == host ? "host" : "peer").append(" stdout: ").append(end.linesSoFar())
                    .append("\n").append(end == host ? "host" : "peer").append(" stderr: ").append(stderr).append('\n');
        }
        return report.toString();
    }

    /**
     * A command with a private config folder (no user config file leaks in) and a runtime folder.
     * The config folder says {@code "no_upgrade": true} unless the test wrote its own config file
     * there first: the relay's tests are about the relay path, which two ends on one machine would
     * otherwise leave for a direct connection (UpgradeIT tests that, with {@link #upgrading}).
     */
    static Image.Command command(Image image, Path tmp, Path runtime, String... args) {
        Path config = tmp.resolve("config");
        Path file = config.resolve("agent-wormhole").resolve("config.json");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, "{\"no_upgrade\": true}");
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return image.command(args).env("XDG_RUNTIME_DIR", runtime.toString())
                .env("XDG_CONFIG_HOME", config.toString()).env("AGENT_WORMHOLE_RELAY_URL", null);
    }

    /** A command as {@link #command}, whose config folder (of its own) leaves the upgrade on, as by default. */
    static Image.Command upgrading(Image image, Path tmp, Path runtime, String... args) {
        return image.command(args).env("XDG_RUNTIME_DIR", runtime.toString())
                .env("XDG_CONFIG_HOME", tmp.resolve("config-upgrading").toString()).env("AGENT_WORMHOLE_RELAY_URL", null);
    }

    void connectPeer(String codeArgument, String relayUrl) {
        peer = command(image, tmp, peerRuntime, "connect", codeArgument, "--relay", relayUrl).start();
    }

    Image.Result sendFromHost(String... args) {
        return send(hostRuntime, args);
    }

    Image.Result sendFromPeer(String... args) {
        return send(peerRuntime, args);
    }

    Image.Result send(Path runtime, String... args) {
        String[] all = Stream.concat(Stream.of("send", code), Stream.of(args)).toArray(String[]::new);
        return command(image, tmp, runtime, all).run();
    }

    /** @return the first line of this event a process printed so far */
    static JsonNode first(Image.Running process, String event) {
        List<String> lines = process.linesSoFar();
        return Json.parse(lines.stream().filter(Json.status(event)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + event + " line in " + lines)));
    }

    @Override
    public void close() {
        host.close();
        if (peer != null) {
            peer.close();
        }
    }
}
