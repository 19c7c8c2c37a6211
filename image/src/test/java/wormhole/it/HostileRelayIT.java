package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
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

    /** Answers the first (join) message with {@code script}, on 127.0.0.1. */
    private static final class ScriptedRelay extends WebSocketServer implements AutoCloseable {
        private final Consumer<WebSocket> script;
        private final CountDownLatch started = new CountDownLatch(1);

        ScriptedRelay(Consumer<WebSocket> script) throws InterruptedException {
            super(new InetSocketAddress("127.0.0.1", 0));
            this.script = script;
            setReuseAddr(true);
            start();
            if (!started.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the scripted relay did not start");
            }
        }

        String url() {
            return "ws://127.0.0.1:" + getPort();
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            if (message.contains("\"join\"")) {
                script.accept(conn);
            }
        }

        @Override
        public void onMessage(WebSocket conn, ByteBuffer message) {
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {
        }

        @Override
        public void onStart() {
            started.countDown();
        }

        @Override
        public void close() {
            try {
                stop(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

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
