package wormhole.relayserver.internal;

import java.util.ArrayDeque;
import org.java_websocket.WebSocket;
import redis.clients.jedis.StreamEntryID;

/**
 * One side of a Redis-shared channel whose connection this instance holds: what it needs locally to
 * forward, confirm and pace. The channel itself lives in Redis. Guarded by {@link #lock}, which both
 * sides of a channel share, so that a lane (both sides here, {@link Lane}) sees them together.
 */
final class SharedSeat {
    private static final Object[] LOCKS = new Object[1024];

    static {
        for (int i = 0; i < LOCKS.length; i++) {
            LOCKS[i] = new Object();
        }
    }

    /**
     * A frame written to the receiver and not yet confirmed: its number, size, and either its stream
     * entry (it came through Redis) or its bytes (it came through a lane, in memory; null once it is
     * also in the stream).
     */
    static final class Held {
        final long number;
        final int size;
        long idMillis = -1;
        long idSequence;
        byte[] local;

        Held(long number, int size) {
            this.number = number;
            this.size = size;
        }

        static Held stream(long number, int size, StreamEntryID id) {
            Held h = new Held(number, size);
            h.at(id);
            return h;
        }

        static Held local(long number, byte[] bytes) {
            Held h = new Held(number, bytes.length);
            h.local = bytes;
            return h;
        }

        /** The frame is (also) this stream entry now. */
        void at(StreamEntryID id) {
            idMillis = id.getTime();
            idSequence = id.getSequence();
            local = null;
        }

        boolean inStream() {
            return idMillis >= 0;
        }
    }

    /** The monitor of both sides of this channel held here (shared with others by hash; never nested across channels). */
    final Object lock;

    final String id;
    final Party party;
    /** {@code h} or {@code p}: the side's letter in Redis. */
    final String letter;
    /** This connection's claim on the side ({@code instance:serial}); Redis refuses other owners. */
    final String owner;
    /** The stream of what comes to this side (the other side's frames and notices). */
    final String inbox;
    final boolean resumable;
    final TokenBucket controlRate;
    final ArrayDeque<Held> unconfirmed = new ArrayDeque<>();
    WebSocket conn;
    boolean paired;
    Boolean otherResumable;
    boolean gone;
    /** Frames this side has sent, as Redis counts them. */
    long sent;
    long ackedSent;
    long bytesSinceAck;
    /** Of those, how many the other side consumed. */
    long consumedByOther;
    /** The last stream entry read. */
    String lastRead = "0-0";
    /** The number of the next frame this side gets. */
    long nextIn;
    /** Frames below this number are not written again (the client said it has them). */
    long skipBelow;
    /** The consumed count last confirmed to Redis: frames below it read later are freed at once. */
    long confirmedTo;
    /** The other side left after sending this many frames; -1 while it has not. */
    long otherLeftAt = -1;
    /** Entries of the inbox below this were trimmed by this side's confirmations: a late read of them is ignored. */
    StreamEntryID trimmedTo = new StreamEntryID(0, 0);
    /** Bytes of {@link #unconfirmed} frames that are only in memory (they came through a lane). */
    long localBytes;
    /** This side's frames go to the other side in memory (both held here), or null. */
    Lane lane;
    /** When a lane may be tried again after Redis said the direction was not idle. */
    long laneRetryAt;

    SharedSeat(String id, Party party, String owner, boolean resumable, TokenBucket controlRate) {
        this.id = id;
        this.party = party;
        this.letter = party == Party.HOST ? "h" : "p";
        this.owner = owner;
        this.inbox = SharedStore.PREFIX + "in:" + id + ":" + letter;
        this.resumable = resumable;
        this.controlRate = controlRate;
        this.lock = LOCKS[Math.floorMod(id.hashCode(), LOCKS.length)];
    }

    /** @return the stream of what comes to the other side */
    String otherInbox() {
        return SharedStore.PREFIX + "in:" + id + ":" + (party == Party.HOST ? "p" : "h");
    }

    /** A name for logs: never the code, nameplate or token. */
    String label() {
        return "shared channel " + id.substring(0, 6) + " (" + party.wire() + ")";
    }
}
