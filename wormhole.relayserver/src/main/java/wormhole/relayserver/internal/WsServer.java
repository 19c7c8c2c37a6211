package wormhole.relayserver.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/** The WebSocket server: hands every callback to the {@link Router}. */
public final class WsServer extends WebSocketServer {
    /** Messages this far over the relay's own limit are cut off by the WebSocket layer (close 1009). */
    private static final int HARD_LIMIT_SLACK = 1024 * 1024;

    private final CountDownLatch started = new CountDownLatch(1);
    private volatile Router router;
    private volatile Exception startError;

    /**
     * @param address         where to listen
     * @param maxMessageBytes the relay's message limit; the WebSocket layer refuses far larger ones
     */
    public WsServer(InetSocketAddress address, int maxMessageBytes) {
        super(address, Math.max(2, Runtime.getRuntime().availableProcessors()), drafts(maxMessageBytes));
    }

    private static List<Draft> drafts(int maxMessageBytes) {
        int hard = (int) Math.min(Integer.MAX_VALUE, (long) maxMessageBytes + HARD_LIMIT_SLACK);
        return List.of(new Draft_6455(Collections.emptyList(), hard));
    }

    /** @param router who handles the callbacks; set before {@link #start()} */
    public void route(Router router) {
        this.router = router;
    }

    /**
     * Waits until the server listens.
     *
     * @param millis how long to wait
     * @throws IOException when it could not bind or did not start in time
     */
    public void awaitStarted(long millis) throws IOException {
        try {
            if (!started.await(millis, TimeUnit.MILLISECONDS)) {
                throw new IOException("the relay did not start within " + millis + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the relay", e);
        }
        Exception e = startError;
        if (e != null) {
            throw new IOException("the relay could not listen on " + getAddress() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        router.opened(conn, handshake.getResourceDescriptor());
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        router.closed(conn, code);
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        router.text(conn, message);
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        router.binary(conn, message);
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null) {
            // A server-level failure (such as the port being taken); before start it fails start().
            startError = ex;
            if (started.getCount() == 0) {
                router.info("server error: " + ex);
            }
            started.countDown();
        }
        // Connection-level errors close that connection; onClose does the bookkeeping.
    }
}
