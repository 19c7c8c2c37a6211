package wormhole.relayserver.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.DefaultWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;
import wormhole.relayserver.RelayConfig;

/** The WebSocket server: hands every callback to the {@link Router}. */
public final class WsServer extends WebSocketServer {
    /** Connections the kernel may hold for the relay to accept (Linux caps it at {@code net.core.somaxconn}). */
    private static final int ACCEPT_BACKLOG = 1024;
    /** How often connections are checked for a write the library left unsent (see {@link #resumeStrandedWrites}). */
    static final long STRANDED_WRITE_CHECK_MILLIS = 50;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile Router router;
    private volatile Exception startError;

    /**
     * @param address where to listen
     * @param config  the message limits: before a join, at most, and memory for messages on their way in
     */
    public WsServer(InetSocketAddress address, RelayConfig config) {
        super(address, Math.max(2, Runtime.getRuntime().availableProcessors()),
                List.<Draft>of(new GatedDraft(config.maxJoinMessageBytes(), config.maxMessageBytes(),
                        new IncomingBudget(config.maxIncomingBytes(), config.incomingBytesPerAddress()))));
        // The kernel's queue of connections not yet accepted: the JDK's default of 50 overflowed when
        // many clients connected at once (an attacker's 2,000 sockets, or a busy minute), and the
        // connects of healthy clients then timed out while the relay was still accepting.
        setMaxPendingConnections(ACCEPT_BACKLOG);
        // A join's answer is two messages (welcome, then status): with Nagle's algorithm the second
        // waited for the client's delayed acknowledgement of the first, 40 ms on Linux, on every join.
        setTcpNoDelay(true);
    }

    /**
     * Sets who handles the callbacks and admits connections; call once, before {@link #start()}.
     *
     * @param router the relay's logic
     * @param tls    the relay's TLS identity, or null to serve plain {@code ws://}
     * @param timer  runs the check for writes the library left unsent, every
     *               {@value #STRANDED_WRITE_CHECK_MILLIS} ms until it is shut down
     */
    public void route(Router router, SSLContext tls, ScheduledExecutorService timer) {
        this.router = router;
        // Only here: the library closes the factory it replaces, and a TLS factory closed that way
        // loses the executor its handshakes run on.
        WebSocketServerFactory connections = tls == null ? new DefaultWebSocketServerFactory() : TlsServerFactory.of(tls);
        setWebSocketFactory(new AdmittingFactory(connections, router));
        timer.scheduleWithFixedDelay(this::resumeStrandedWrites, STRANDED_WRITE_CHECK_MILLIS,
                STRANDED_WRITE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Asks again to write for every connection whose outgoing queue holds data while its selection key
     * no longer asks to write. Java-WebSocket 1.6 can lose that request: its selector thread, having
     * written a connection's last queued message, sets the key back to read-only, and a message that
     * another thread queued (and asked to write for) between the two stays in the queue until
     * something else is written to that connection. A host's {@code waiting}, right behind its
     * {@code welcome}, once waited so for the client's next ping, 20 s later, and the client gave up
     * after 15 s. A request made twice costs one empty write. A failure is logged (its type only) and
     * the check goes on at its next turn; a scheduled task that threw would never run again.
     */
    void resumeStrandedWrites() {
        try {
            for (WebSocket conn : getConnections()) {
                if (conn instanceof WebSocketImpl impl && impl.hasBufferedData()) {
                    SelectionKey key = impl.getSelectionKey();
                    try {
                        if (key != null && key.isValid() && (key.interestOps() & SelectionKey.OP_WRITE) == 0) {
                            onWriteDemand(impl);
                        }
                    } catch (CancelledKeyException closing) {
                        // closed meanwhile; its close does the cleaning up
                    }
                }
            }
        } catch (RuntimeException e) {
            router.info("the check for unsent writes failed: " + e.getClass().getName());
        }
    }

    /** @return whether the relay takes new connections now, as far as its own limits say */
    public boolean accepting() {
        return router.accepting();
    }

    @Override
    protected boolean removeConnection(WebSocket ws) {
        // Called for every connection that closes, upgraded or not: the gate counts them all.
        router.released(ws);
        return super.removeConnection(ws);
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
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft,
            ClientHandshake request) throws InvalidDataException {
        ServerHandshakeBuilder answer = super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
        router.answering(conn); // the library writes the answer, then calls onOpen
        return answer;
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        guarded(conn, () -> router.opened(conn, handshake));
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        guarded(conn, () -> router.closed(conn, code));
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        guarded(conn, () -> router.text(conn, message));
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        guarded(conn, () -> router.binary(conn, message));
    }

    /**
     * Runs the handling of one connection's event. The library stops the whole server when a callback
     * throws: a bug met by one connection must not end every channel, so it ends that connection only.
     */
    private void guarded(WebSocket conn, Runnable handling) {
        try {
            handling.run();
        } catch (RuntimeException e) {
            router.internalError(conn, e);
        }
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
