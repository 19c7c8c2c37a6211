package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Streams and keepalives through a real relay process. */
@Timeout(180)
class RelayStreamIT {
    @TempDir
    Path tmp;
    private RelayProcess relay;
    private Image.Running host;
    private Image.Running peer;
    private Path hostRt;
    private Path peerRt;
    private String code;

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {host, peer, relay}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // closing anyway
                }
            }
        }
    }

    private void connect(Image image, String... relayArgs) throws IOException {
        relay = RelayProcess.start(image, relayArgs);
        hostRt = Files.createDirectories(tmp.resolve("host-rt"));
        peerRt = Files.createDirectories(tmp.resolve("peer-rt"));
        host = RelayPair.command(image, tmp, hostRt, "host", "--relay", relay.url())
                .env("AGENT_WORMHOLE_JAVA_OPTS", StreamIT.SMALL_HEAP).start();
        code = Json.parse(host.awaitLine(Json.status("channel"), Pair.LINE)).path("code").asText();
        peer = RelayPair.command(image, tmp, peerRt, "connect", code, "--relay", relay.url())
                .env("AGENT_WORMHOLE_JAVA_OPTS", StreamIT.SMALL_HEAP).start();
        host.awaitLine(Json.status("connected"), Pair.LINE);
        peer.awaitLine(Json.status("connected"), Pair.LINE);
    }

    private Image.Result send(Image image, Path runtime, String... args) {
        String[] all = Stream.concat(Stream.of("send", code), Stream.of(args)).toArray(String[]::new);
        return RelayPair.command(image, tmp, runtime, all).timeout(Duration.ofSeconds(150)).run();
    }

    private void oneWay(Image image, Path fromRt, Image.Running receiver, String label, long seed) throws IOException {
        Path source = tmp.resolve(label + ".bin");
        String hash = StreamIT.generate(source, StreamIT.BIG, seed);
        long t0 = System.nanoTime();
        JsonNode sent = Pair.sent(send(image, fromRt, "--file", source.toString()));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(sent.path("confirmed").asBoolean(), sent::toString);
        JsonNode file = Json.parse(receiver.awaitLine(Json.type("file"), Pair.LINE));
        Path saved = Path.of(file.path("saved_to").asText());
        assertEquals(hash, StreamIT.sha256(saved), "the file arrived whole");
        System.out.printf("RelayStreamIT %s: %d MiB in %.2f s (%.0f MiB/s); receiver peak RSS %d KiB%n",
                label, StreamIT.BIG >> 20, seconds, (StreamIT.BIG >> 20) / seconds, StreamIT.peakRssKib(receiver.process()));
        Files.delete(saved);
        Files.delete(source);
    }

    @Test
    void threeHundredMebibytesEachWayThroughTheRelayWithA64MebibyteHeap() throws IOException {
        Image image = Image.locate();
        connect(image, "--mib-per-minute", "100000", "--frames-per-minute", "1000000");
        oneWay(image, hostRt, peer, "host-to-peer", 11);
        oneWay(image, peerRt, host, "peer-to-host", 12);
    }

    @Test
    void anIdleChannelOutlivesTheRelaysInactivityLimitWhileBothEndsRun() throws Exception {
        Image image = Image.locate();
        connect(image, "--inactivity-timeout", "2");
        Thread.sleep(6_000);
        assertTrue(host.process().isAlive() && peer.process().isAlive(), "both ends still run");
        JsonNode sent = Pair.sent(send(image, hostRt, "still here after 6 s idle"));
        assertTrue(sent.path("confirmed").asBoolean(), sent::toString);
        assertEquals("still here after 6 s idle", Json.parse(peer.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());
        assertTrue(peer.linesSoFar().stream().noneMatch(Json.type("ping")), "pings are never shown");
    }
}
