package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Delivery receipts (feature {@code ack}): {@code send} returns once the peer confirms, or times out. */
@Timeout(120)
class ReceiptIT {
    @TempDir
    Path tmp;
    private Pair pair;
    private long stopped = -1;

    @AfterEach
    void stop() throws Exception {
        if (stopped > 0) {
            signal("-CONT", stopped);
        }
        if (pair != null) {
            pair.close();
        }
    }

    private static void signal(String sig, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("/bin/kill", sig, Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor());
    }

    @Test
    void sendConfirmsDeliveryAndTimesOutWhenThePeerStopsReading() throws Exception {
        pair = Pair.connected(Image.locate(), tmp);
        JsonNode confirmed = Pair.sent(pair.sendFromHost("are you there?"));
        assertTrue(confirmed.path("confirmed").asBoolean(), confirmed::toString);
        pair.peer.awaitLine(Json.type("text"), Pair.LINE);

        stopped = pair.peer.process().pid();
        signal("-STOP", stopped);
        long t0 = System.nanoTime();
        Image.Result r = pair.sendFromHost("hello, stopped peer", "--timeout", "2");
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(11, r.exitCode(), r::toString);
        JsonNode error = Json.parse(r.stdoutLines().get(0));
        assertEquals("ack_timeout", error.path("error").asText(), r::toString);
        assertTrue(millis >= 2_000 && millis < 15_000, "timed out after " + millis + " ms");

        JsonNode handedOff = Pair.sent(pair.sendFromHost("no wait", "--no-wait"));
        assertFalse(handedOff.path("confirmed").asBoolean(), handedOff::toString);

        signal("-CONT", stopped);
        stopped = -1;
        assertEquals("hello, stopped peer", Json.parse(pair.peer.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());
        assertEquals("no wait", Json.parse(pair.peer.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());
        assertTrue(Pair.sent(pair.sendFromHost("welcome back")).path("confirmed").asBoolean());
        assertTrue(pair.host.process().isAlive(), "a missing receipt does not end the channel");
        assertTrue(pair.host.linesSoFar().stream().noneMatch(Json.type("status").and(l -> !Json.status("connected").test(l)
                && !Json.status("channel").test(l) && !Json.status("waiting").test(l))), pair.host.linesSoFar()::toString);
    }
}
