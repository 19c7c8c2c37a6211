package wormhole.relayserver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import wormhole.testing.TestClient;

/**
 * A failure inside the relay while it handles one connection (a bug; here its log sink throws once)
 * ends that connection with an {@code internal_error}, and the relay goes on serving everyone else:
 * the WebSocket library would otherwise stop the whole server.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class InternalErrorTest {
    @Test
    void anExceptionWhileHandlingOneConnectionEndsItAndTheRelayServesTheNextChannel() {
        AtomicBoolean failOnce = new AtomicBoolean(true);
        List<String> log = new CopyOnWriteArrayList<>();
        try (Relays.Started relay = Relays.start(b -> b.log(line -> {
            if (line.contains("paired with") && failOnce.getAndSet(false)) {
                throw new IllegalStateException("a log sink that failed, with client text in its message");
            }
            log.add(line);
        }))) {
            TestClient host = TestClient.open(relay.port());
            String nameplate = OurJoinTest.hostJoin(host).path("nameplate").asText();
            TestClient peer = TestClient.open(relay.port());
            OurJoinTest.peerJoin(peer, nameplate);
            assertEquals("paired", peer.text().path("event").asText());
            peer.expectError("internal_error");
            assertTrue(peer.awaitClosed(), "the connection whose handling failed is closed");
            assertEquals(1011, peer.closeCode());

            TestClient host2 = TestClient.open(relay.port());
            String nameplate2 = OurJoinTest.hostJoin(host2).path("nameplate").asText();
            TestClient peer2 = TestClient.open(relay.port());
            OurJoinTest.peerJoin(peer2, nameplate2);
            assertEquals("paired", peer2.text().path("event").asText());
            host2.text(); // its paired
            host2.send(new byte[] {7, 8});
            assertArrayEquals(new byte[] {7, 8}, peer2.binary());

            assertEquals(1L, relay.refusalsReaching("internal_error", 1));
            String line = log.stream().filter(l -> l.contains("internal error")).findFirst().orElse("none: " + log);
            assertTrue(line.contains("IllegalStateException") && !line.contains("client text"), line);
        }
    }
}
