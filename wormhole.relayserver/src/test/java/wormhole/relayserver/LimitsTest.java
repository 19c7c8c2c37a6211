package wormhole.relayserver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import wormhole.testing.TestClient;

/** Every limit refuses out loud (an error, then the channel closes) and never drops a frame silently. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LimitsTest {
    static TestClient[] pythonPair(Relays.Started relay, String code) {
        TestClient host = TestClient.pythonJoin(relay.port(), code, "host");
        host.expectStatus("waiting");
        TestClient peer = TestClient.pythonJoin(relay.port(), code, "peer");
        peer.expectStatus("paired");
        return new TestClient[] {host, peer};
    }

    @Test
    void overTheFrameRateBothSidesGetAnErrorAfterEveryEarlierFrame() {
        try (Relays.Started relay = Relays.start(b -> b.framesPerWindow(5))) {
            TestClient[] p = pythonPair(relay, "rate-limit-one");
            for (int i = 0; i < 6; i++) {
                p[0].send(new byte[] {(byte) i});
            }
            for (int i = 0; i < 5; i++) {
                assertArrayEquals(new byte[] {(byte) i}, p[1].binary());
            }
            assertTrue(p[1].expectError("rate_limited").contains("5 frames"));
            p[0].expectError("rate_limited");
            assertTrue(p[0].awaitClosed() && p[1].awaitClosed());
        }
    }

    @Test
    void anOversizedFrameIsRefusedWithAnErrorToBothSides() {
        try (Relays.Started relay = Relays.start(b -> b.maxFrameBytes(1024).bufferBytes(64 * 1024)
                .bytesPerWindow(1 << 20))) {
            TestClient[] p = pythonPair(relay, "too-big-one");
            p[0].send(new byte[1024]);
            assertEquals(1024, p[1].binary().length);
            p[0].send(new byte[4096]);
            assertTrue(p[1].expectError("frame_too_large").contains("1024-byte limit"));
            // The sender is cut on the frame's header, before the relay reads (or allocates) its payload.
            assertTrue(p[0].awaitClosed());
            BadInputTest.assertCutForSize(p[0]);

            TestClient[] q = pythonPair(relay, "far-too-big");
            q[0].send(new byte[3 * 1024 * 1024]);
            q[1].expectError("frame_too_large");
            assertTrue(q[0].awaitClosed());
            BadInputTest.assertCutForSize(q[0]);
        }
    }

    @Test
    void anIdleChannelIsClosedWithAnError() {
        try (Relays.Started relay = Relays.start(b -> b.inactivityTimeout(Duration.ofMillis(1000)))) {
            TestClient[] p = pythonPair(relay, "idle-channel-x");
            p[0].expectError("inactive");
            p[1].expectError("inactive");
        }
    }

    @Test
    void fiveFailedJoinsOfOneIdBlockThatIdForTheWindow() {
        try (Relays.Started relay = Relays.start()) {
            for (int i = 0; i < 5; i++) {
                TestClient.pythonJoin(relay.port(), "777", "peer").expectError("no_such_channel");
            }
            TestClient.pythonJoin(relay.port(), "777", "peer").expectError("too_many_attempts");
            TestClient.pythonJoin(relay.port(), "777-with-words", "host").expectError("too_many_attempts");
            TestClient.pythonJoin(relay.port(), "778", "peer").expectError("no_such_channel");
            assertEquals(2L, relay.server.stats().refusals().get("too_many_attempts"));
        }
    }

    @Test
    void aThousandJoinsFromOneAddressAreEachAnsweredAndAHealthyChannelKeepsWorking() {
        try (Relays.Started relay = Relays.start()) {
            TestClient[] healthy = pythonPair(relay, "healthy-pair-one");
            List<TestClient> kept = new ArrayList<>();
            int accepted = 0;
            int refused = 0;
            for (int i = 0; i < 1000; i++) {
                TestClient c = TestClient.open(relay.port());
                c.send("{\"action\":\"join\",\"role\":\"host\",\"protocol\":2}");
                String type = c.text().path("type").asText();
                if ("welcome".equals(type)) {
                    accepted++;
                    kept.add(c);
                } else {
                    assertEquals("error", type);
                    refused++;
                    c.close();
                }
            }
            assertEquals(99, accepted, "100 channels per address, one taken by the healthy pair");
            assertEquals(901, refused);
            healthy[0].send(new byte[] {42});
            assertArrayEquals(new byte[] {42}, healthy[1].binary());
            assertEquals(901L, relay.server.stats().refusals().get("too_many_channels"));
            kept.forEach(TestClient::close);
        }
    }

    @Test
    void aReaderThatNeverReadsEndsItsChannelNotTheRelay() throws Exception {
        int frame = 60 * 1024;
        try (Relays.Started relay = Relays.start(b -> b.maxFrameBytes(64 * 1024).bufferBytes(256 * 1024)
                .framesPerWindow(100_000).bytesPerWindow(1L << 32))) {
            TestClient[] healthy = pythonPair(relay, "healthy-pair-two");
            TestClient sender = TestClient.pythonJoin(relay.port(), "slow-reader-x", "host");
            sender.expectStatus("waiting");
            NeverReader stuck = new NeverReader(relay.port(),
                    "{\"action\":\"join\",\"code\":\"slow-reader-x\",\"role\":\"peer\"}");
            try {
                // A protocol-1 host hears nothing of the pairing: wait for the relay to count it.
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (relay.server.stats().channelsPaired() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertEquals(2, relay.server.stats().channelsPaired(), "the stuck reader paired");
                for (int i = 0; i < 1000 && sender.isOpen() && sender.inboxEmpty(); i++) {
                    try {
                        sender.send(new byte[frame]);
                    } catch (org.java_websocket.exceptions.WebsocketNotConnectedException closedMeanwhile) {
                        break;
                    }
                    if (i % 32 == 31) {
                        Thread.sleep(5);
                    }
                }
                String message = sender.expectError("slow_reader");
                assertTrue(message.contains("not reading"), message);
                assertTrue(sender.awaitClosed());
            } finally {
                stuck.close();
            }
            healthy[0].send(new byte[] {7});
            assertArrayEquals(new byte[] {7}, healthy[1].binary());
            assertTrue(relay.server.stats().bufferedBytes() < 256 * 1024);
        }
    }
}
