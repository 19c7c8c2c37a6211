package wormhole.relayserver.internal;

import java.util.ArrayDeque;
import org.java_websocket.WebSocket;

/**
 * One side of a Redis-shared channel whose connection this instance holds: what it needs locally to
 * forward, confirm and pace. The channel itself lives in Redis. Guarded by its own monitor.
 */
final class SharedSeat {
    /** A frame written to the receiver and not yet confirmed: its number, stream id and size. */
    record Held(long number, long idMillis, long idSequence, int size) {
    }

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

    SharedSeat(String id, Party party, String owner, boolean resumable, TokenBucket controlRate) {
        this.id = id;
        this.party = party;
        this.letter = party == Party.HOST ? "h" : "p";
        this.owner = owner;
        this.inbox = SharedStore.PREFIX + "in:" + id + ":" + letter;
        this.resumable = resumable;
        this.controlRate = controlRate;
    }

    /** A name for logs: never the code, nameplate or token. */
    String label() {
        return "shared channel " + id.substring(0, 6) + " (" + party.wire() + ")";
    }
}
