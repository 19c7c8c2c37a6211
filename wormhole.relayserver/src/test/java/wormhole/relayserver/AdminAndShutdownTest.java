package wormhole.relayserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import wormhole.testing.TestClient;

/** The admin endpoint's health and counters, and a clean, announced shutdown. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AdminAndShutdownTest {
    private static JsonNode get(int port, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(5000);
        assertEquals(200, c.getResponseCode());
        try (InputStream in = c.getInputStream()) {
            return TestClient.JSON.readTree(in);
        } finally {
            c.disconnect();
        }
    }

    @Test
    void healthAndCountersAreServedOnTheAdminPort() throws IOException {
        try (Relays.Started relay = Relays.start(b -> b.adminPort(0))) {
            int admin = relay.server.adminPort();
            assertEquals("ok", get(admin, "/health").path("status").asText());
            TestClient host = TestClient.pythonJoin(relay.port(), "count-me-in", "host");
            host.expectStatus("waiting");
            TestClient peer = TestClient.pythonJoin(relay.port(), "count-me-in", "peer");
            peer.expectStatus("paired");
            host.send(new byte[10]);
            peer.binary();
            TestClient.pythonJoin(relay.port(), "nobody-here", "peer").expectError("no_such_channel");
            JsonNode stats = get(admin, "/stats");
            assertEquals(1, stats.path("channels_open").asInt());
            assertEquals(1, stats.path("channels_paired").asInt());
            assertEquals(1, stats.path("frames_forwarded").asInt());
            assertEquals(10, stats.path("bytes_forwarded").asInt());
            assertEquals(1, stats.path("refusals").path("no_such_channel").asInt());
        }
    }

    @Test
    void stopClosesTheConnectionOfAClientThatStoppedReading() throws Exception {
        Relays.Started relay = Relays.start(b -> b.framesPerWindow(100_000).bytesPerWindow(1L << 32));
        TestClient sender = TestClient.pythonJoin(relay.port(), "stuck-at-stop", "host");
        sender.expectStatus("waiting");
        try (NeverReader stuck = new NeverReader(relay.port(),
                "{\"action\":\"join\",\"code\":\"stuck-at-stop\",\"role\":\"peer\"}")) {
            // A protocol-1 host hears nothing of the pairing: wait for the relay to count it.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (relay.server.stats().channelsPaired() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, relay.server.stats().channelsPaired(), "the stuck reader paired");
            // 8 MiB, far more than the sockets between the relay and the stuck reader hold: the relay's
            // output to it stays queued, so a close frame can no longer reach it.
            for (int i = 0; i < 140 && sender.isOpen(); i++) {
                sender.send(new byte[60 * 1024]);
            }
            long start = System.nanoTime();
            relay.server.stop();
            assertTrue(System.nanoTime() - start < 5_000_000_000L, "stop waits a bounded time for the clients");
            assertTrue(stuck.readsToTheEnd(), "the relay left the stuck reader's connection open after it stopped");
            assertTrue(sender.awaitClosed());
        }
    }

    @Test
    void stopTellsEveryClientAndFreesThePorts() throws IOException {
        Relays.Started relay = Relays.start(b -> b.adminPort(0));
        int admin = relay.server.adminPort();
        TestClient host = TestClient.open(relay.port());
        String nameplate = OurJoinTest.hostJoin(host).path("nameplate").asText();
        TestClient peer = TestClient.open(relay.port());
        OurJoinTest.peerJoin(peer, nameplate);
        peer.expectStatus("paired");
        host.expectStatus("paired");
        TestClient idle = TestClient.open(relay.port());
        relay.server.stop();
        for (TestClient c : new TestClient[] {host, peer, idle}) {
            assertTrue(c.expectError("shutting_down").contains("shutting down"));
            assertTrue(c.awaitClosed());
            assertEquals(1001, c.closeCode());
        }
        assertThrows(IOException.class, () -> get(admin, "/health"));
        relay.server.stop(); // idempotent
        // The nameplate is a small number (1 to 99 here): look for it standing alone, not inside a
        // channel's serial ("#12"), an address ("127.0.0.1"), a port (":4747") or a word such as
        // "protocol-2", any of which it may match by chance.
        Pattern alone = Pattern.compile("(?<![\\w#.:-])" + Pattern.quote(nameplate) + "(?![\\w.:-])");
        assertTrue(relay.log.stream().noneMatch(l -> alone.matcher(l).find()), () -> "the nameplate in the log: " + relay.log);
    }
}
