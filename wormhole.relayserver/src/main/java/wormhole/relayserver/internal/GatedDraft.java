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
 * them; its own limit is fixed when the server is built. This draft reads the frames itself with a
 * {@link FrameReader} (which also unmasks them far faster than the library) and refuses, with close
 * code 1009, a frame or a fragmented message over the connection's current limit before its payload
 * is allocated. It also bounds the HTTP upgrade request, which the library would otherwise buffer
 * without end. The library still handles the handshake, fragments, control frames and sending.
 */
final class GatedDraft extends Draft_6455 implements FrameReader.Gate {
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

    // Where the frame stream stands (only the decoding thread touches these).
    private final FrameReader reader;
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
        this.reader = new FrameReader(this, hardLimit);
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
        return reader.read(buffer);
    }

    @Override
    public void reset() {
        // Called when the connection closes (and on the library's own resets): nothing is arriving now.
        super.reset();
        reader.reset();
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

    /** Refuses a frame whose message would be over the limit, or that the budget has no room for. */
    @Override
    public void admit(int opcode, long length) throws InvalidDataException {
        boolean control = (opcode & 0x08) != 0;
        if (!control) {
            messageSoFar = opcode == 0 ? saturatedSum(messageSoFar, length) : length;
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
    }

    private static long saturatedSum(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /** The frame has arrived whole: the library has it now and hands it on. */
    @Override
    public void arrived() {
        releaseReservation();
    }
}
