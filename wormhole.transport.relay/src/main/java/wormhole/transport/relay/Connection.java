package wormhole.transport.relay;

import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * One WebSocket connection to the relay; hands every event to its session's {@link RelayMessages}. Incoming messages
 * are capped (see {@link CappedDraft}): text at {@link #MAX_TEXT_BYTES}, binary at what the session
 * allows, which starts small and grows once the relay has answered the join.
 */
final class Connection extends WebSocketClient {
    /** Relay control messages are short JSON; this is ample for them, and for a SPAKE2 message. */
    static final int MAX_TEXT_BYTES = 64 * 1024;

    private final RelayMessages session;
    private final IncomingCap cap;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Exception lastError;

    /**
     * @param maxBinaryBytes the largest binary message accepted until {@link #allowBinary} says
     *                       otherwise
     */
    Connection(Endpoint endpoint, RelayMessages session, long maxBinaryBytes) {
        this(endpoint, session, new IncomingCap(maxBinaryBytes));
    }

    private Connection(Endpoint endpoint, RelayMessages session, IncomingCap cap) {
        super(endpoint.uri(), new CappedDraft(cap));
        this.session = session;
        this.cap = cap;
    }

    /** What the connection's draft accepts now, and why it refused a message, if it did. */
    private static final class IncomingCap implements CappedDraft.Cap {
        private volatile long maxBinaryBytes;
        private volatile String refused;

        IncomingCap(long maxBinaryBytes) {
            this.maxBinaryBytes = maxBinaryBytes;
        }

        @Override
        public long maxBinaryBytes() {
            return maxBinaryBytes;
        }

        @Override
        public long binaryCeiling() {
            return Limits.REFERENCE.maxMessageBytes();
        }

        @Override
        public long maxTextBytes() {
            return MAX_TEXT_BYTES;
        }

        @Override
        public void refused(String why) {
            refused = why;
        }
    }

    /** Sets the largest binary message accepted from now on (the relay's announced limit). */
    void allowBinary(long bytes) {
        cap.maxBinaryBytes = bytes;
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
        // The session sends its join or resume once connectBlocking returns.
    }

    @Override
    public void onMessage(String message) {
        session.onText(this, message);
    }

    @Override
    public void onMessage(ByteBuffer bytes) {
        session.onBinary(this, wholeArray(bytes));
    }

    /**
     * @return the message's bytes: the buffer's own array when the buffer is exactly that array (the
     *         library's payload of an unfragmented message, which nothing else holds), else a copy
     */
    static byte[] wholeArray(ByteBuffer bytes) {
        if (bytes.hasArray() && bytes.arrayOffset() == 0 && bytes.position() == 0
                && bytes.remaining() == bytes.array().length) {
            return bytes.array();
        }
        byte[] b = new byte[bytes.remaining()];
        bytes.get(b);
        return b;
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        String why = cap.refused;
        if (why != null) {
            closed.countDown();
            session.onRefused(this, why);
            return;
        }
        Exception e = lastError;
        why = reason != null && !reason.isEmpty() ? reason
                : e != null ? e.getMessage() : "close code " + code;
        closed.countDown();
        session.onClosed(this, why);
    }

    /** Waits (a bounded time) until the connection has closed, so the relay has read all we sent. */
    void awaitClosed(long millis) {
        try {
            closed.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Counted down at the first error, which may arrive just after the close (see lastErrorMessage). */
    private final CountDownLatch errored = new CountDownLatch(1);

    @Override
    public void onError(Exception ex) {
        lastError = ex;
        errored.countDown();
    }

    String lastErrorMessage() {
        if (lastError == null && isClosed() && "wss".equals(getURI().getScheme())) {
            // A failed TLS handshake (an untrusted certificate) is reported by the library's write
            // thread, possibly just after its read thread saw the socket close: wait a moment for it.
            try {
                errored.await(1, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
        Exception e = lastError;
        return e == null ? "no answer" : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Cuts the TCP connection with no WebSocket close, as to a relay that broke a limit. */
    void cut() {
        Socket s = getSocket();
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // Already closed.
            }
        }
    }
}
