package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst of 200 {@code send --no-wait} commands through a relay at its default limits (60 binary
 * messages a minute per channel): the client paces and bundles, so every message arrives, in order,
 * and the relay refuses nothing.
 */
@Timeout(180)
class RelayBurstIT {
    private static final int COUNT = 200;

    @TempDir
    Path tmp;

    @Test
    void twoHundredMessagesAllArriveInOrderAtDefaultLimits() throws IOException, InterruptedException {
        Image image = Image.locate();
        try (RelayProcess relay = RelayProcess.start(image);
                RelayPair p = RelayPair.connected(image, tmp, relay.url(), relay.url())) {
            JsonNode before = relay.stats();
            long start = System.nanoTime();
            // One after another: order between separate send processes is defined only this way. A burst
            // does not wait for each receipt (--no-wait): a send that waits costs a round trip through
            // the paced relay, which is what limits, not bundles, a burst (see the test below the loop).
            for (int i = 0; i < COUNT; i++) {
                Image.Result r = p.sendFromHost("--no-wait", String.format("burst-%03d", i));
                if (r.exitCode() != 0) {
                    throw new AssertionError("send " + i + " failed: " + r + "\n" + p.stopAndReport());
                }
                Pair.sent(r);
            }
            long sentMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();

            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < COUNT; i++) {
                bodies.add(Json.parse(p.peer.awaitLine(Json.type("text"), Duration.ofSeconds(60))).path("body").asText());
            }
            long arrivedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            for (int i = 0; i < COUNT; i++) {
                assertEquals(String.format("burst-%03d", i), bodies.get(i), "message " + i + " of " + bodies);
            }

            JsonNode after = relay.stats();
            System.out.printf("%d sends took %d ms (%.0f ms each); the last arrived after %d ms; relay stats before %s after %s%n",
                    COUNT, sentMillis, sentMillis / (double) COUNT, arrivedMillis, before, after);
            JsonNode refusals = after.path("refusals");
            assertTrue(refusals.isObject(), after::toString);
            refusals.properties().forEach(e -> assertEquals(0, e.getValue().asLong(), "refusal " + e.getKey() + ": " + after));
            long forwarded = after.path("frames_forwarded").asLong() - before.path("frames_forwarded").asLong();
            assertTrue(forwarded < COUNT, "the client bundles a burst: " + forwarded + " binary messages for " + COUNT + " sends");

            for (Image.Running end : new Image.Running[] {p.host, p.peer}) {
                assertTrue(end.linesSoFar().stream().noneMatch(Json.status("disconnected").or(Json.status("error"))
                        .or(Json.status("peer_disconnected")).or(Json.type("error"))), end.linesSoFar()::toString);
            }
            // Sends that wait for the peer's receipt still work after the burst, both ways.
            long receiptStart = System.nanoTime();
            Pair.sent(p.sendFromPeer("after the burst"));
            assertEquals("after the burst", Json.parse(p.host.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());
            Pair.sent(p.sendFromHost("and a receipt for this one"));
            assertEquals("and a receipt for this one", Json.parse(p.peer.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());
            System.out.printf("two sends waiting for receipts after the burst took %d ms%n",
                    Duration.ofNanos(System.nanoTime() - receiptStart).toMillis());
        }
    }
}
