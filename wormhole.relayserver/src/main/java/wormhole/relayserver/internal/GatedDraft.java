package wormhole.relayserver.internal;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.InvalidHandshakeException;
import org.java_websocket.exceptions.LimitExceededException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.Handshakedata;

/**
 * RFC 6455 with a size limit that each connection may change as it moves on (small before its join,
 * larger once paired), checked on the frame header before anything is allocated.
 *
 * <p>{@link Draft_6455} allocates the whole payload a frame header announces as soon as it reads the
 * header, so twenty headers announcing 10 MiB each cost 200 MiB before the relay sees a byte of
 * them; its own limit is fixed when the server is built. This draft reads every header itself as
 * the bytes pass (the library's decoder still does the framing) and refuses, with close code 1009,
 * a frame or a fragmented message over the connection's current limit. It also bounds the HTTP
 * upgrade request, which the library would otherwise buffer without end.
 */
final class GatedDraft extends Draft_6455 {
    /** Why this draft cut its connection, if it did. */
    enum Cut {
        /** It did not. */
        NONE,
        /** A message over the connection's limit. */
        TOO_LARGE,
        /** A large message the incoming budget had no room for. */
        NO_ROOM
    }

    /** The longest upgrade request accepted; real ones are well under 2 KiB. */
    static final int MAX_UPGRADE_BYTES = 16 * 1024;

    private final int initialLimit;
    private final int hardLimit;
    private final IncomingBudget budget;
    private volatile int limit;
    /** Whose share large messages are reserved from; set once the connection's client address is known. */
    private volatile String address = "unknown";
    /** Bytes reserved for the message now arriving (0 when none); guarded by this. */
    private long reserved;
    /** Set when the connection closes, from any thread; guarded by this. */
    private boolean closed;
    /**
     * Why this draft cut the connection. The close code the relay later sees cannot tell: the peer
     * may answer the close with another code, or the rest of the refused message may break the frame
     * stream first.
     */
    private volatile Cut cut = Cut.NONE;

    // Where the bytes seen so far stand in the frame stream (only the decoding thread touches these).
    private final byte[] header = new byte[14];
    private int headerHave;
    private long payloadLeft;
    private long messageSoFar;

    /**
     * @param initialLimit the limit a new connection starts with
     * @param hardLimit    the largest limit any connection may get (the library's own cap)
     * @param budget       memory for large incoming messages, shared by every connection
     */
    GatedDraft(int initialLimit, int hardLimit, IncomingBudget budget) {
        super(Collections.emptyList(), hardLimit);
        this.initialLimit = initialLimit;
        this.hardLimit = hardLimit;
        this.budget = budget;
        this.limit = initialLimit;
    }

    /** @param client the connection's client address, whose share its large messages use */
    void clientAddress(String client) {
        address = client;
    }

    /** @param bytes the largest frame or message this connection may send from now on */
    void limit(int bytes) {
        limit = Math.min(bytes, hardLimit);
    }

    int limit() {
        return limit;
    }

    /** @return why this draft cut its connection, if it did */
    Cut cut() {
        return cut;
    }

    @Override
    public Draft copyInstance() {
        return new GatedDraft(initialLimit, hardLimit, budget);
    }

    @Override
    public Handshakedata translateHandshake(ByteBuffer buf) throws InvalidHandshakeException {
        if (buf.remaining() > MAX_UPGRADE_BYTES) {
            throw new InvalidHandshakeException("upgrade request over " + MAX_UPGRADE_BYTES + " bytes");
        }
        return super.translateHandshake(buf);
    }

    @Override
    public List<Framedata> translateFrame(ByteBuffer buffer) throws InvalidDataException {
        inspect(buffer.duplicate());
        return super.translateFrame(buffer);
    }

    @Override
    public void reset() {
        // Called when the connection closes (and on the library's own resets): nothing is arriving now.
        super.reset();
        headerHave = 0;
        payloadLeft = 0;
        messageSoFar = 0;
        synchronized (this) {
            closed = true;
            releaseReservation();
        }
    }

    private synchronized void releaseReservation() {
        budget.release(address, reserved);
        reserved = 0;
    }

    /** @return whether {@code bytes} could be reserved for the message now arriving */
    private synchronized boolean reserve(long bytes) {
        releaseReservation();
        if (closed || !budget.reserve(address, bytes)) {
            return false;
        }
        reserved = bytes;
        return true;
    }

    /** Follows the frame boundaries through {@code bytes}, refusing a header over the limit. */
    private void inspect(ByteBuffer bytes) throws InvalidDataException {
        while (bytes.hasRemaining()) {
            if (payloadLeft > 0) {
                int skip = (int) Math.min(payloadLeft, bytes.remaining());
                bytes.position(bytes.position() + skip);
                payloadLeft -= skip;
                if (payloadLeft == 0) {
                    releaseReservation(); // the library has the whole frame now and hands it on
                }
                continue;
            }
            header[headerHave++] = bytes.get();
            if (headerHave >= 2 && headerHave == headerLength()) {
                headerComplete();
            }
        }
    }

    private int headerLength() {
        int len7 = header[1] & 0x7f;
        int extended = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
        boolean masked = (header[1] & 0x80) != 0;
        return 2 + extended + (masked ? 4 : 0);
    }

    private void headerComplete() throws InvalidDataException {
        int len7 = header[1] & 0x7f;
        long length;
        if (len7 == 126) {
            length = ((header[2] & 0xffL) << 8) | (header[3] & 0xffL);
        } else if (len7 == 127) {
            length = 0;
            for (int i = 2; i < 10; i++) {
                length = (length << 8) | (header[i] & 0xffL);
            }
        } else {
            length = len7;
        }
        int opcode = header[0] & 0x0f;
        boolean control = (opcode & 0x08) != 0;
        headerHave = 0;
        if (length < 0) {
            cut = Cut.TOO_LARGE;
            throw new LimitExceededException("a frame announced a negative length", limit);
        }
        if (!control) {
            messageSoFar = opcode == 0 ? messageSoFar + length : length;
            if (messageSoFar > limit) {
                cut = Cut.TOO_LARGE;
                throw new LimitExceededException("a message of " + messageSoFar + " bytes is over this connection's "
                        + limit + "-byte limit", limit);
            }
        }
        if (length > IncomingBudget.SMALL && !reserve(length)) {
            cut = Cut.NO_ROOM;
            throw new InvalidDataException(CloseFrame.TRY_AGAIN_LATER, "the relay has no room for a message of "
                    + length + " bytes now");
        }
        payloadLeft = length;
    }
}
