package wormhole.relayserver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import wormhole.testing.TestClient;

/**
 * Two relays in this JVM sharing their channels through a real {@code redis-server} (skipped when
 * it is not installed): Python sides split across instances, a resume at the other instance and
 * its failures, and a rate limit counted for both sides together.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SharedRelayTest {
    @TempDir
    Path tmp;
    private Process redis;
    private URI url;

    @BeforeEach
    void startRedis() throws IOException, InterruptedException {
        Path program = List.of(Path.of("/usr/bin/redis-server"), Path.of("/usr/local/bin/redis-server")).stream()
                .filter(Files::isExecutable).findFirst().orElse(null);
        Assumptions.assumeTrue(program != null, "redis-server is not installed: the shared relay tests skip");
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        redis = new ProcessBuilder(program.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", tmp.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("redis.log").toFile()).start();
        url = URI.create("redis://127.0.0.1:" + port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Jedis j = new Jedis("127.0.0.1", port, 1000)) {
                j.ping();
                return;
            } catch (RuntimeException notYet) {
                assertTrue(System.nanoTime() < deadline && redis.isAlive(), "redis-server did not start");
                Thread.sleep(50);
            }
        }
    }

    @AfterEach
    void stopRedis() throws InterruptedException {
        if (redis != null) {
            redis.destroyForcibly();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Relays.Started shared(UnaryOperator<RelayConfig.Builder> tweak) {
        return Relays.start(b -> tweak.apply(b.redis(url)));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void pythonSidesOnTwoInstancesPairAndTheHostsEarlyFramesArrive() {
        try (Relays.Started a = shared(b -> b); Relays.Started b = shared(x -> x)) {
            TestClient host = TestClient.pythonJoin(a.port(), "apple-banana-cherry", "host");
            host.expectStatus("waiting");
            host.send(bytes("spake-A"));
            TestClient peer = TestClient.pythonJoin(b.port(), "apple-banana-cherry", "peer");
            peer.expectStatus("paired");
            assertArrayEquals(bytes("spake-A"), peer.binary());
            peer.send(bytes("spake-B"));
            assertArrayEquals(bytes("spake-B"), host.binary());
            TestClient third = TestClient.pythonJoin(a.port(), "apple-banana-cherry", "peer");
            third.expectError("channel_full");
            peer.close();
            assertEquals("{\"type\":\"status\",\"event\":\"peer_disconnected\"}", host.rawText());
            assertTrue(host.awaitClosed());
        }
    }

    @Test
    void aSideResumesAtTheOtherInstanceAndAResumeOutsideWhatIsHeldIsAGap() {
        try (Relays.Started a = shared(b -> b); Relays.Started b = shared(x -> x)) {
            TestClient host = TestClient.open(a.port());
            host.send("{\"action\":\"join\",\"role\":\"host\",\"protocol\":2}");
            JsonNode welcome = host.text();
            host.expectStatus("waiting");
            TestClient peer = TestClient.open(b.port());
            peer.send("{\"action\":\"join\",\"role\":\"peer\",\"code\":\"" + welcome.path("nameplate").asText()
                    + "\",\"protocol\":2}");
            String peerToken = peer.text().path("token").asText();
            assertEquals("paired", peer.text().path("event").asText());
            assertEquals("paired", host.text().path("event").asText());
            host.send(bytes("one"));
            host.send(bytes("two"));
            assertArrayEquals(bytes("one"), peer.binary());
            assertArrayEquals(bytes("two"), peer.binary());
            peer.cut();

            // Back at the other instance, having received one of the two: the second comes again.
            TestClient back = TestClient.open(a.port());
            back.send("{\"action\":\"resume\",\"token\":\"" + peerToken + "\",\"received\":1}");
            JsonNode resumed = back.text();
            assertEquals("resumed", resumed.path("type").asText(), resumed.toString());
            assertEquals("present", resumed.path("peer").asText(), resumed.toString());
            assertArrayEquals(bytes("two"), back.binary());
            back.send(bytes("three"));
            // The host hears of the drop (unless the resume came first) and of the return, then the frame.
            List<String> heard = new java.util.ArrayList<>();
            Object next = host.next();
            while (next instanceof String text) {
                heard.add(text);
                next = host.next();
            }
            assertArrayEquals(bytes("three"), (byte[]) next);
            assertTrue(heard.get(heard.size() - 1).contains("peer_reconnected"), heard::toString);

            TestClient stranger = TestClient.open(b.port());
            stranger.send("{\"action\":\"resume\",\"token\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"received\":0}");
            stranger.expectError("resume_failed");
            TestClient beyond = TestClient.open(b.port());
            beyond.send("{\"action\":\"resume\",\"token\":\"" + peerToken + "\",\"received\":5}");
            beyond.expectError("resume_gap");
        }
    }

    @Test
    void aResumedSideMayConfirmFramesItGotBeforeTheNewInstanceReadThem() {
        try (Relays.Started a = shared(b -> b); Relays.Started b = shared(x -> x)) {
            TestClient host = TestClient.open(a.port());
            host.send("{\"action\":\"join\",\"role\":\"host\",\"protocol\":2}");
            JsonNode welcome = host.text();
            host.expectStatus("waiting");
            TestClient peer = TestClient.open(b.port());
            peer.send("{\"action\":\"join\",\"role\":\"peer\",\"code\":\"" + welcome.path("nameplate").asText()
                    + "\",\"protocol\":2}");
            String peerToken = peer.text().path("token").asText();
            peer.text();
            host.text();
            for (int i = 0; i < 3; i++) {
                host.send(bytes("f" + i));
                assertArrayEquals(bytes("f" + i), peer.binary());
            }
            peer.cut(); // before it confirmed anything
            TestClient back = TestClient.open(a.port());
            back.send("{\"action\":\"resume\",\"token\":\"" + peerToken + "\",\"received\":3}");
            assertEquals("resumed", back.text().path("type").asText());
            back.send("{\"action\":\"ack\",\"received\":3}"); // at once: the instance may not have read them yet
            host.send(bytes("f3"));
            assertArrayEquals(bytes("f3"), back.binary());
            back.send("{\"action\":\"ack\",\"received\":4}");
            host.skipAcks(false);
            host.send(bytes("f4"));
            long consumed = -1;
            for (int i = 0; i < 20 && consumed < 4; i++) {
                Object m = host.next();
                if (m instanceof String t && t.contains("\"ack\"")) {
                    consumed = parse(t).path("consumed").asLong();
                }
            }
            assertEquals(4, consumed, "the sender hears that all four were consumed, none refused");
        }
    }

    private static JsonNode parse(String text) {
        try {
            return TestClient.JSON.readTree(text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theFrameRateCountsBothSidesAtBothInstances() {
        try (Relays.Started a = shared(b -> b.framesPerWindow(3)); Relays.Started b = shared(x -> x.framesPerWindow(3))) {
            TestClient host = TestClient.pythonJoin(a.port(), "rate-across-two", "host");
            host.expectStatus("waiting");
            TestClient peer = TestClient.pythonJoin(b.port(), "rate-across-two", "peer");
            peer.expectStatus("paired");
            host.send(bytes("h1"));
            assertArrayEquals(bytes("h1"), peer.binary());
            peer.send(bytes("p1"));
            assertArrayEquals(bytes("p1"), host.binary());
            host.send(bytes("h2"));
            assertArrayEquals(bytes("h2"), peer.binary());
            peer.send(bytes("p2")); // the fourth of the channel: over 3 per window, wherever it was counted
            String message = peer.expectError("rate_limited");
            assertTrue(message.contains("3 frames"), message);
            host.expectError("rate_limited");
        }
    }
}
