package wormhole.relayserver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import wormhole.testing.TestClient;

/** A side that drops comes back with its token and gets exactly what it missed. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ResumeTest {
    private record Pair(TestClient host, TestClient peer, String hostToken, String peerToken) {
    }

    private static Pair pair(Relays.Started relay) {
        TestClient host = TestClient.open(relay.port());
        JsonNode hw = OurJoinTest.hostJoin(host);
        TestClient peer = TestClient.open(relay.port());
        JsonNode pw = OurJoinTest.peerJoin(peer, hw.path("nameplate").asText());
        peer.expectStatus("paired");
        host.expectStatus("paired");
        return new Pair(host, peer, hw.path("token").asText(), pw.path("token").asText());
    }

    private static String resume(String token, long received) {
        return "{\"action\":\"resume\",\"token\":\"" + token + "\",\"received\":" + received + "}";
    }

    @Test
    void aDroppedPeerResumesAndGetsEveryMissedFrameOnceInOrder() {
        try (Relays.Started relay = Relays.start()) {
            Pair p = pair(relay);
            for (int i = 0; i < 3; i++) {
                p.host().send(new byte[] {(byte) i});
                assertArrayEquals(new byte[] {(byte) i}, p.peer().binary());
            }
            p.peer().send(new byte[] {100});
            assertArrayEquals(new byte[] {100}, p.host().binary());
            p.peer().cut();
            p.host().expectStatus("peer_disconnected");
            for (int i = 3; i < 6; i++) {
                p.host().send(new byte[] {(byte) i});
            }
            // The peer got frames 0..2 (3 frames); it says so and the relay replays 3..5.
            TestClient back = TestClient.open(relay.port());
            back.send(resume(p.peerToken(), 3));
            JsonNode resumed = back.text();
            assertEquals("resumed", resumed.path("type").asText(), resumed.toString());
            assertEquals(1, resumed.path("received").asLong(), "the relay holds one frame from the peer");
            assertEquals("present", resumed.path("peer").asText());
            for (int i = 3; i < 6; i++) {
                assertArrayEquals(new byte[] {(byte) i}, back.binary());
            }
            p.host().expectStatus("peer_reconnected");
            back.send(new byte[] {101});
            assertArrayEquals(new byte[] {101}, p.host().binary());
            assertEquals(1, relay.server.stats().resumes());
        }
    }

    @Test
    void aResumeReplaysFramesWrittenButNotConfirmed() {
        try (Relays.Started relay = Relays.start()) {
            Pair p = pair(relay);
            for (int i = 0; i < 4; i++) {
                p.host().send(new byte[] {(byte) i});
                p.peer().binary();
            }
            p.peer().send("{\"action\":\"ack\",\"received\":2}");
            // Say frames 2 and 3 were lost on the way: the peer resumes having received 2.
            TestClient back = TestClient.open(relay.port());
            back.send(resume(p.peerToken(), 2));
            assertEquals("resumed", back.text().path("type").asText());
            assertArrayEquals(new byte[] {2}, back.binary());
            assertArrayEquals(new byte[] {3}, back.binary());
            // The replaced connection is closed by the relay.
            assertTrue(p.peer().awaitClosed());
        }
    }

    @Test
    void aResumeBehindWhatTheRelayStillHoldsEndsTheChannelWithAGapError() {
        try (Relays.Started relay = Relays.start()) {
            Pair p = pair(relay);
            for (int i = 0; i < 4; i++) {
                p.host().send(new byte[] {(byte) i});
                p.peer().binary();
            }
            p.host().skipAcks(false);
            p.peer().send("{\"action\":\"ack\",\"received\":3}");
            assertEquals(3, p.host().text().path("consumed").asLong(), "the relay took the ack");
            p.peer().cut();
            p.host().expectStatus("peer_disconnected");
            TestClient back = TestClient.open(relay.port());
            back.send(resume(p.peerToken(), 1)); // frames 1 and 2 were confirmed and dropped
            String message = back.expectError("resume_gap");
            assertTrue(message.contains("frame 1"), message);
            p.host().expectError("resume_gap");
            assertTrue(p.host().awaitClosed());
        }
    }

    @Test
    void aBadTokenIsRefused() {
        try (Relays.Started relay = Relays.start()) {
            TestClient c = TestClient.open(relay.port());
            c.send(resume("not-a-token", 0));
            c.expectError("resume_failed");
            assertTrue(c.awaitClosed());
        }
    }

    @Test
    void aSideThatDoesNotComeBackWithinTheGracePeriodEndsTheChannel() {
        try (Relays.Started relay = Relays.start(b -> b.resumeGrace(Duration.ofMillis(300)))) {
            Pair p = pair(relay);
            p.peer().cut();
            p.host().expectStatus("peer_disconnected");
            p.host().expectError("peer_gone");
            assertTrue(p.host().awaitClosed());
            TestClient late = TestClient.open(relay.port());
            late.send(resume(p.peerToken(), 0));
            late.expectError("resume_failed");
        }
    }

    @Test
    void theRelayAcknowledgesWhatItHolds() {
        try (Relays.Started relay = Relays.start()) {
            Pair p = pair(relay);
            p.host().skipAcks(false);
            for (int i = 0; i < 16; i++) {
                p.host().send(new byte[] {(byte) i});
            }
            JsonNode ack = p.host().text();
            assertEquals("ack", ack.path("type").asText(), ack.toString());
            assertEquals(16, ack.path("received").asLong());
            assertEquals(0, ack.path("consumed").asLong());
            for (int i = 0; i < 16; i++) {
                p.peer().binary();
            }
            p.peer().send("{\"action\":\"ack\",\"received\":16}");
            JsonNode after = p.host().text();
            assertEquals(16, after.path("consumed").asLong(), after.toString());
        }
    }
}
