package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay that sends more than it may: the channel ends with one JSON line that names the relay's
 * fault, the process exits with its status, and nothing hangs or prints a stack trace.
 */
@Timeout(90)
class HostileRelayIT {
    private static final Duration WITHIN = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private final Image image = Image.locate();

    private void assertEndsCleanly(ScriptedRelay relay, String expectedDetail) throws Exception {
        Path runtime = Files.createDirectories(tmp.resolve("rt"));
        try (Image.Running peer = RelayPair.command(image, tmp, runtime, "connect", "apple-banana-cherry", "--relay", relay.url())
                .start()) {
            JsonNode end = Json.parse(peer.awaitLine(Json.status("handshake_failed"), WITHIN));
            assertTrue(end.path("detail").asText().startsWith(expectedDetail), end::toString);
            assertEquals(3, peer.waitFor(WITHIN));
            String stderr = peer.stderr(WITHIN);
            assertFalse(stderr.contains("Exception") || stderr.contains("\tat "), stderr);
            List<String> lines = peer.linesSoFar();
            assertEquals(end, Json.parse(lines.get(lines.size() - 1)), "the last line");
            assertEquals(0, Pair.channelFiles(runtime));
        }
    }

    @Test
    void aRelayWithoutAWelcomeThatSendsOverTheReferenceLimitEndsTheChannel() throws Exception {
        int over = 10 * 1024 * 1024 + 65;
        try (ScriptedRelay relay = new ScriptedRelay(conn -> {
            conn.send("{\"type\": \"status\", \"event\": \"paired\"}");
            conn.send(new byte[over]);
        })) {
            assertEndsCleanly(relay, "relay: sent a binary message of " + over + " bytes, over the 10485824-byte limit");
        }
    }

    @Test
    void aRelayThatSendsOverTheLimitItAnnouncedEndsTheChannel() throws Exception {
        try (ScriptedRelay relay = new ScriptedRelay(conn -> {
            conn.send("{\"type\":\"welcome\",\"role\":\"peer\",\"token\":\"t0ken\",\"limits\":{\"max_frame_bytes\":1000,"
                    + "\"max_message_bytes\":1064,\"buffer_bytes\":65536}}");
            conn.send("{\"type\":\"status\",\"event\":\"paired\",\"peer_protocol\":1}");
            conn.send(new byte[2000]);
        })) {
            assertEndsCleanly(relay, "relay: sent a binary message of 2000 bytes, over the 1064-byte limit");
        }
    }
}
