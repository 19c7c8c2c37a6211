package wormhole.relayserver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import wormhole.testing.TestClient;

/** Garbage gets an error and a close; the relay stays up and a healthy channel beside it keeps working. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BadInputTest {
    private Relays.Started relay;
    private TestClient healthyHost;
    private TestClient healthyPeer;

    @BeforeEach
    void startRelayWithAHealthyChannel() {
        relay = Relays.start(b -> b.joinTimeout(Duration.ofMillis(300)));
        healthyHost = TestClient.pythonJoin(relay.port(), "healthy-one-two", "host");
        healthyHost.expectStatus("waiting");
        healthyPeer = TestClient.pythonJoin(relay.port(), "healthy-one-two", "peer");
        healthyPeer.expectStatus("paired");
    }

    @AfterEach
    void healthyChannelStillWorks() {
        try {
            healthyHost.send(new byte[] {1, 2});
            assertArrayEquals(new byte[] {1, 2}, healthyPeer.binary());
            healthyPeer.send(new byte[] {3});
            assertArrayEquals(new byte[] {3}, healthyHost.binary());
        } finally {
            relay.close();
        }
    }

    private void refusedFresh(String text, String code) {
        TestClient c = TestClient.open(relay.port());
        c.send(text);
        c.expectError(code);
        assertTrue(c.awaitClosed());
    }

    @Test
    void textThatIsNotJson() {
        refusedFresh("hello relay", "bad_request");
        refusedFresh("[1,2,3]", "bad_request");
        refusedFresh("{\"action\":\"join\",\"code\":\"x\"", "bad_request");
    }

    @Test
    void unknownActionsAndMalformedJoins() {
        refusedFresh("{\"action\":\"dance\"}", "bad_request");
        refusedFresh("{\"action\":\"join\",\"code\":\"a-b-c\",\"role\":\"boss\"}", "bad_request");
        refusedFresh("{\"action\":\"join\",\"code\":\"a b\\nc\",\"role\":\"host\"}", "bad_request");
        refusedFresh("{\"action\":\"join\",\"role\":\"peer\",\"protocol\":2}", "bad_request");
        refusedFresh("{\"action\":\"join\",\"role\":\"host\"}", "bad_request");
        refusedFresh("{\"action\":\"resume\",\"token\":\"abc\"}", "bad_request");
    }

    /**
     * The relay answers an oversized message with close 1009, but it closes the socket while the
     * client is still sending the rest, and the reset that causes can reach the client before the
     * close frame does (1006). Either way the connection was cut, not closed normally.
     */
    static void assertCutForSize(TestClient c) {
        assertTrue(c.closeCode() == 1009 || c.closeCode() == 1006, "close code " + c.closeCode());
    }

    @Test
    void aMessageOverTheJoinLimitIsCutOnItsHeader() {
        TestClient c = TestClient.open(relay.port());
        c.send("{\"action\":\"join\",\"code\":\"" + "x".repeat(5000) + "\",\"role\":\"host\"}");
        assertTrue(c.awaitClosed());
        assertCutForSize(c);
        TestClient big = TestClient.open(relay.port());
        big.send(new byte[64 * 1024]);
        assertTrue(big.awaitClosed());
        assertCutForSize(big);
        assertEquals(2L, relay.refusalsReaching("message_too_large", 2));
    }

    @Test
    void aBinaryFrameBeforeTheJoin() {
        TestClient c = TestClient.open(relay.port());
        c.send(new byte[] {1, 2, 3});
        assertTrue(c.expectError("bad_request").contains("before the join"));
        assertTrue(c.awaitClosed());
    }

    @Test
    void aWrongPath() {
        TestClient c = TestClient.open(relay.port(), "/other");
        c.expectError("bad_request");
        assertTrue(c.awaitClosed());
    }

    @Test
    void aConnectionThatNeverJoins() {
        TestClient c = TestClient.open(relay.port());
        c.expectError("join_timeout");
        assertTrue(c.awaitClosed());
    }

    @Test
    void garbageInsideAJoinedChannelEndsThatChannelOnly() {
        TestClient host = TestClient.pythonJoin(relay.port(), "garbage-channel", "host");
        host.expectStatus("waiting");
        TestClient peer = TestClient.pythonJoin(relay.port(), "garbage-channel", "peer");
        peer.expectStatus("paired");
        peer.send("not json at all");
        peer.expectError("bad_request");
        host.expectError("bad_request");
        assertTrue(host.awaitClosed() && peer.awaitClosed());
        assertEquals(1, relay.server.stats().channelsOpen());
    }
}
