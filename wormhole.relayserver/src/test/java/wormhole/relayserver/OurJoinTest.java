package wormhole.relayserver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import wormhole.testing.TestClient;

/** Our join: the relay assigns the nameplate, hands out resume tokens and announces its limits. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OurJoinTest {
    static JsonNode hostJoin(TestClient host) {
        host.send("{\"action\":\"join\",\"role\":\"host\",\"protocol\":2}");
        JsonNode welcome = host.text();
        assertEquals("welcome", welcome.path("type").asText(), welcome.toString());
        host.expectStatus("waiting");
        return welcome;
    }

    static JsonNode peerJoin(TestClient peer, String nameplate) {
        peer.send("{\"action\":\"join\",\"role\":\"peer\",\"code\":\"" + nameplate + "\",\"protocol\":2}");
        JsonNode welcome = peer.text();
        assertEquals("welcome", welcome.path("type").asText(), welcome.toString());
        return welcome;
    }

    @Test
    void hostWithoutCodeGetsANameplateTokenAndLimitsAndPairsWithAPeer() {
        try (Relays.Started relay = Relays.start()) {
            TestClient host = TestClient.open(relay.port());
            JsonNode welcome = hostJoin(host);
            String nameplate = welcome.path("nameplate").asText();
            assertTrue(nameplate.matches("[1-9][0-9]{0,2}"), nameplate);
            assertEquals("host", welcome.path("role").asText());
            assertTrue(welcome.path("token").asText().length() >= 32);
            JsonNode limits = welcome.path("limits");
            assertEquals(10 * 1024 * 1024, limits.path("max_frame_bytes").asInt());
            assertEquals(60, limits.path("frames_per_window").asInt());
            assertEquals(50L * 1024 * 1024, limits.path("bytes_per_window").asLong());
            assertEquals(60_000, limits.path("window_ms").asLong());
            assertEquals(3_600_000, limits.path("inactivity_ms").asLong());

            TestClient peer = TestClient.open(relay.port());
            JsonNode peerWelcome = peerJoin(peer, nameplate);
            assertEquals("peer", peerWelcome.path("role").asText());
            assertNotEquals(welcome.path("token").asText(), peerWelcome.path("token").asText());
            JsonNode paired = peer.text();
            assertEquals("paired", paired.path("event").asText());
            assertEquals(2, paired.path("peer_protocol").asInt());
            assertEquals(2, host.text().path("peer_protocol").asInt());

            host.send(new byte[] {1, 2, 3});
            assertArrayEquals(new byte[] {1, 2, 3}, peer.binary());
            peer.send(new byte[] {4});
            assertArrayEquals(new byte[] {4}, host.binary());
        }
    }

    @Test
    void nameplatesInUseAreNeverHandedOutTwice() {
        try (Relays.Started relay = Relays.start()) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 60; i++) {
                TestClient host = TestClient.open(relay.port());
                assertTrue(seen.add(hostJoin(host).path("nameplate").asText()), "a nameplate in use came back");
            }
        }
    }

    @Test
    void aNameplateTakesOnePeerEverEvenAfterThatPeerLeaves() {
        try (Relays.Started relay = Relays.start()) {
            TestClient host = TestClient.open(relay.port());
            String nameplate = hostJoin(host).path("nameplate").asText();
            TestClient peer = TestClient.open(relay.port());
            peerJoin(peer, nameplate);
            peer.expectStatus("paired");
            host.expectStatus("paired");
            TestClient third = TestClient.open(relay.port());
            third.send("{\"action\":\"join\",\"role\":\"peer\",\"code\":\"" + nameplate + "\",\"protocol\":2}");
            third.expectError("channel_full");
            peer.cut(); // the peer may resume, but nobody else may take its place
            host.expectStatus("peer_disconnected");
            TestClient fourth = TestClient.open(relay.port());
            fourth.send("{\"action\":\"join\",\"role\":\"peer\",\"code\":\"" + nameplate + "\",\"protocol\":2}");
            fourth.expectError("channel_full");
        }
    }

    @Test
    void aPeerCannotJoinANameplateWhoseHostHasGone() {
        try (Relays.Started relay = Relays.start()) {
            TestClient host = TestClient.open(relay.port());
            String nameplate = hostJoin(host).path("nameplate").asText();
            host.cut();
            assertTrue(host.awaitClosed());
            TestClient peer = TestClient.open(relay.port());
            peer.send("{\"action\":\"join\",\"role\":\"peer\",\"code\":\"" + nameplate + "\",\"protocol\":2}");
            peer.expectError("no_such_channel");
            assertTrue(peer.awaitClosed());
        }
    }

    @Test
    void aDeliberateCloseReachesThePeerAfterEveryFrame() {
        try (Relays.Started relay = Relays.start()) {
            TestClient host = TestClient.open(relay.port());
            String nameplate = hostJoin(host).path("nameplate").asText();
            TestClient peer = TestClient.open(relay.port());
            peerJoin(peer, nameplate);
            peer.expectStatus("paired");
            host.expectStatus("paired");
            host.send(new byte[] {9});
            host.send("{\"action\":\"close\"}");
            assertArrayEquals(new byte[] {9}, peer.binary());
            JsonNode last = peer.text();
            assertEquals("peer_disconnected", last.path("event").asText());
            assertTrue(last.path("final").asBoolean());
            assertTrue(peer.awaitClosed());
            assertEquals(0, relay.server.stats().channelsOpen());
        }
    }
}
