package wormhole.relayserver.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import wormhole.relayserver.RelayConfig;
import wormhole.testing.TestClient;

/**
 * Java-WebSocket 1.6 can leave a queued message unsent: its selector thread, done writing a
 * connection's queue, sets the connection's key back to read-only just after another thread queued a
 * message and asked to write. The relay asks again, so the message still goes out within a few of
 * its checks. The test leaves a message in that state itself: queued, and the key asking only to read.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StrandedWriteTest {
    @Test
    void aMessageLeftQueuedWithNoWriteInterestStillGoesOutPromptly() throws Exception {
        RelayConfig config = RelayConfig.builder().bindAddress("127.0.0.1").port(0).adminPort(-1)
                .log(line -> { }).build();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        WsServer ws = new WsServer(new InetSocketAddress("127.0.0.1", 0), config);
        try {
            ws.route(new Router(config, timer), null, timer);
            ws.start();
            ws.awaitStarted(5_000);
            TestClient client = TestClient.open(ws.getPort());
            WebSocketImpl conn = onlyConnection(ws);
            for (int i = 0; i < 5; i++) {
                String message = "{\"type\":\"note\",\"n\":" + i + "}";
                awaitIdle(conn);
                long sent = System.nanoTime();
                // Queued with no request to write: the state the library's lost request leaves behind.
                conn.outQueue.add(conn.getDraft().createBinaryFrame(conn.getDraft().createFrames(message, false).get(0)));
                assertEquals(message, client.rawText());
                long millis = (System.nanoTime() - sent) / 1_000_000;
                assertTrue(millis < 1_000, "message " + i + " went out after " + millis + " ms");
            }
            client.closeBlocking();
        } finally {
            ws.stop(1_000);
            timer.shutdownNow();
        }
    }

    /** Waits until the connection has nothing queued and its key asks only to read, as between messages. */
    private static void awaitIdle(WebSocketImpl conn) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (conn.hasBufferedData() || (conn.getSelectionKey().interestOps() & SelectionKey.OP_WRITE) != 0) {
            assertTrue(System.nanoTime() < deadline, "the connection never became idle");
            Thread.sleep(5);
        }
    }

    private static WebSocketImpl onlyConnection(WsServer ws) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (WebSocket c : ws.getConnections()) {
                return (WebSocketImpl) c;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the server never listed the connection");
    }
}
