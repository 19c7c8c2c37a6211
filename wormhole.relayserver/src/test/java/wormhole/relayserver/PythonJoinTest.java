package wormhole.relayserver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import wormhole.testing.TestClient;

/** The Python 0.1.x join, unchanged: legacy three-word codes and numbered codes. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PythonJoinTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void pythonHostAndPeerPairAndTheHostsEarlyFramesArriveInOrder() {
        try (Relays.Started relay = Relays.start()) {
            TestClient host = TestClient.pythonJoin(relay.port(), "apple-banana-cherry", "host");
            assertEquals("{\"type\":\"status\",\"event\":\"waiting\"}", host.rawText());
            // The Python host sends its SPAKE2 message at once, before any peer is there.
            host.send(bytes("spake-A"));
            host.send(bytes("early-2"));
            TestClient peer = TestClient.pythonJoin(relay.port(), "apple-banana-cherry", "peer");
            assertEquals("{\"type\":\"status\",\"event\":\"paired\"}", peer.rawText());
            assertArrayEquals(bytes("spake-A"), peer.binary());
            assertArrayEquals(bytes("early-2"), peer.binary());
            peer.send(bytes("spake-B"));
            // As from the reference relay, the waiting host hears nothing of the pairing: its next
            // message is the peer's first frame (it takes any message for a frame).
            assertArrayEquals(bytes("spake-B"), host.binary());
            host.send(new byte[0]);
            assertArrayEquals(new byte[0], peer.binary());
            host.close();
            peer.close();
        }
    }

    @Test
    void peerDisconnectIsReportedToTheOtherSide() {
        try (Relays.Started relay = Relays.start()) {
            TestClient host = TestClient.pythonJoin(relay.port(), "delta-echo-fox", "host");
            host.expectStatus("waiting");
            TestClient peer = TestClient.pythonJoin(relay.port(), "delta-echo-fox", "peer");
            peer.expectStatus("paired");
            peer.close();
            assertEquals("{\"type\":\"status\",\"event\":\"peer_disconnected\"}", host.rawText());
            assertTrue(host.awaitClosed());
        }
    }

    @Test
    void pythonPeerWithAFullCodeReachesTheNameplateOfOurHost() throws Exception {
        try (Relays.Started relay = Relays.start()) {
            TestClient host = TestClient.open(relay.port());
            host.send("{\"action\":\"join\",\"role\":\"host\",\"protocol\":2}");
            String nameplate = host.text().path("nameplate").asText();
            host.expectStatus("waiting");
            TestClient peer = TestClient.pythonJoin(relay.port(), nameplate + "-apple-banana-cherry", "peer");
            assertEquals("{\"type\":\"status\",\"event\":\"paired\"}", peer.rawText());
            var paired = host.text();
            assertEquals("paired", paired.path("event").asText());
            assertEquals(1, paired.path("peer_protocol").asInt());
            peer.send(bytes("x"));
            assertArrayEquals(bytes("x"), host.binary());
        }
    }

    @Test
    void aPeerMayJoinOnlyWhileItsHostIsPresent() {
        try (Relays.Started relay = Relays.start()) {
            TestClient lonely = TestClient.pythonJoin(relay.port(), "gone-host-code", "peer");
            lonely.expectError("no_such_channel");
            assertTrue(lonely.awaitClosed());

            TestClient host = TestClient.pythonJoin(relay.port(), "gone-host-code", "host");
            host.expectStatus("waiting");
            host.close();
            assertTrue(host.awaitClosed());
            TestClient late = TestClient.pythonJoin(relay.port(), "gone-host-code", "peer");
            late.expectError("no_such_channel");
        }
    }

    @Test
    void aThirdPartyCannotJoinAPairedChannelNorASecondHost() {
        try (Relays.Started relay = Relays.start()) {
            TestClient host = TestClient.pythonJoin(relay.port(), "gamma-hotel-india", "host");
            host.expectStatus("waiting");
            TestClient secondHost = TestClient.pythonJoin(relay.port(), "gamma-hotel-india", "host");
            secondHost.expectError("host_exists");
            TestClient peer = TestClient.pythonJoin(relay.port(), "gamma-hotel-india", "peer");
            peer.expectStatus("paired");
            TestClient third = TestClient.pythonJoin(relay.port(), "gamma-hotel-india", "peer");
            third.expectError("channel_full");
            assertTrue(third.awaitClosed());
            // The pair is untouched.
            host.send(bytes("still here"));
            assertArrayEquals(bytes("still here"), peer.binary());
            assertFalse(relay.log.stream().anyMatch(l -> l.contains("gamma")), "the log names no code");
        }
    }
}
