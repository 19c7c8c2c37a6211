package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A relay stopped with SIGTERM under a connected channel: both ends say so, exit and clean up. */
@Timeout(120)
class RelayStopIT {
    private static final Duration EXIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    @Test
    void bothEndsReportTheStoppedRelayExitNonZeroAndLeaveNoChannelFiles() throws IOException {
        Image image = Image.locate();
        try (RelayProcess relay = RelayProcess.start(image);
                RelayPair p = RelayPair.connected(image, tmp, relay.url(), relay.url())) {
            Pair.sent(p.sendFromHost("before the stop"));
            p.peer.awaitLine(Json.type("text"), Pair.LINE);

            long start = System.nanoTime();
            relay.terminate();
            int relayExit = relay.process.waitFor(EXIT);
            System.out.println("relay exit status after SIGTERM: " + relayExit + " in "
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
            assertTrue(relay.process.stderr(EXIT).contains("relay: stopped"), "the relay logs its stop");
            assertEquals(0, relayExit, "a relay stopped by a signal exits 0");

            for (Image.Running end : new Image.Running[] {p.host, p.peer}) {
                JsonNode last = Json.parse(end.awaitLine(Json.status("disconnected").or(Json.status("error")), EXIT));
                String detail = last.path("detail").asText();
                assertTrue(detail.contains("shutting_down"), last::toString);
                int status = end.waitFor(EXIT);
                assertNotEquals(0, status, end.linesSoFar()::toString);
                assertEquals(5, status, end.linesSoFar()::toString);
            }
            System.out.println("both ends reported the stop and exited within "
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms of SIGTERM");
            assertEquals(0, Pair.channelFiles(p.hostRuntime));
            assertEquals(0, Pair.channelFiles(p.peerRuntime));
            assertTrue(java.nio.file.Files.exists(p.hostRuntime.resolve("agent-wormhole").resolve(".key")));
        }
    }
}
