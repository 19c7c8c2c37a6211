package wormhole.relayserver.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.CloseFrame;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.StreamEntryBinary;
import wormhole.relayserver.RelayConfig;

/**
 * The relay's channels when several instances share them through Redis ({@code --redis}): frames,
 * confirmations, notices from other instances, leaving, drops and the clocks, for the sides whose
 * connections this instance holds ({@link SharedJoins} brings them in). A frame goes into the Redis
 * stream toward its receiver, or, when both sides are held here, straight to the receiver through a
 * lane ({@link SharedLanes}); the relay tells a sender it has a frame only once Redis has it or the
 * receiver consumed it. So an instance may die at any moment and its sides resume at another one,
 * which reads the channel's state from Redis. docs/relay-redis.md has the design and the keys.
 *
 * <p>Over 400 lines, left whole for now: a side's frames, confirmations, leaving, drops and ends all
 * run one side's state against the same scripts, and the argument that nothing is lost (docs/relay-redis.md)
 * is made over them together. What reads the streams ({@link SharedInbox}) and the lanes
 * ({@link SharedLanes}) are apart; the ends and the clocks are the next candidates to move out.
 */
final class SharedRelay {
    /** A sender hears how far the relay got after this many frames or bytes, whichever comes first. */
    private static final int ACK_EVERY_FRAMES = 16;
    private static final long ACK_EVERY_BYTES = 256 * 1024;
    /** How long an ended channel's streams stay, so every instance reads the end. */
    private static final long LINGER_MILLIS = 10_000;
    private static final long HEARTBEAT_MILLIS = 5_000;

    private final RelayConfig config;
    private final SharedStore store;
    private final SharedLanes lanes;
    private final SharedInbox inbox;
    private final Counters counters;
    private final Flow flow;
    private final Refusals refusals;
    private final RelayLog log;
    private final String instance;
    private final AtomicLong serials = new AtomicLong();
    private final SecureRandom random = new SecureRandom();
    /** The sides held here, by the stream of what comes to them. */
    private final Map<String, SharedSeat> seats = new ConcurrentHashMap<>();
    private volatile String failure;

    SharedRelay(RelayConfig config, SharedStore store, Counters counters, Flow flow, Refusals refusals, RelayLog log) {
        this.config = config;
        this.store = store;
        this.counters = counters;
        this.flow = flow;
        this.refusals = refusals;
        this.log = log;
        this.lanes = new SharedLanes(config, store, counters, flow, this);
        this.inbox = new SharedInbox(config, store, counters, flow, log, this);
        byte[] raw = new byte[6];
        random.nextBytes(raw);
        this.instance = Base64.getUrlEncoder().withoutPadding().encodeToString(raw).replace(':', '_');
        try {
            store.heartbeat(instance, HEARTBEAT_MILLIS); // before the first join: a peer checks its host's instance
        } catch (JedisException e) {
            unavailable(e);
        }
    }

    private long ttl() {
        return config.inactivityTimeout().toMillis();
    }

    /** @return a new claim on a side for a connection of this instance */
    String newOwner() {
        return instance + ":" + serials.incrementAndGet();
    }

    /** @return the side held here whose stream is {@code inbox}, if any */
    SharedSeat held(String inbox) {
        return seats.get(inbox);
    }

    /** @return why Redis is unusable now, or null while it answers */
    String failure() {
        return failure;
    }

    /** Makes {@code conn} the connection of {@code seat}, held here from now on. */
    void attach(SharedSeat seat, WebSocket conn, ConnState st) {
        seat.conn = conn;
        st.seat = seat;
        st.role = seat.party;
        if (conn.getDraft() instanceof GatedDraft gate) {
            gate.limit(seat.paired ? config.maxMessageBytes()
                    : (int) Math.min(config.maxMessageBytes(), config.unpairedBytesPerAddress()));
        }
        seats.put(seat.inbox, seat);
    }

    // ---- a joined side's messages ----

    void text(WebSocket conn, SharedSeat seat, JsonNode msg, String action) {
        synchronized (seat.lock) {
            if (seat.gone || seat.conn != conn) {
                return;
            }
            try {
                if (!seat.controlRate.tryTake(1, flow.now())) {
                    end(seat, ErrorCode.RATE_LIMITED, "too many control messages; channel closed");
                } else if (msg == null) {
                    end(seat, ErrorCode.BAD_REQUEST, "a side sent a control message that is not JSON; channel closed");
                } else if ("ack".equals(action) && msg.path("received").canConvertToLong()) {
                    confirm(seat, msg.get("received").asLong());
                } else if ("ping".equals(action)) {
                    store.run(SharedScripts.PING, seat.id, flow.now(), ttl());
                    Wire.text(conn, Control.pong());
                } else if ("close".equals(action)) {
                    leave(seat);
                } else {
                    end(seat, ErrorCode.BAD_REQUEST, "a side sent an unknown control message; channel closed");
                }
            } catch (JedisException e) {
                lost(seat, e);
            }
        }
    }

    void binary(WebSocket conn, SharedSeat seat, ByteBuffer frame) {
        synchronized (seat.lock) {
            if (seat.gone || seat.conn != conn) {
                return;
            }
            int size = frame.remaining();
            if (size > config.maxMessageBytes()) {
                end(seat, ErrorCode.FRAME_TOO_LARGE, "a frame of " + size + " bytes is over the "
                        + config.maxFrameBytes() + "-byte limit; channel closed");
                return;
            }
            byte[] bytes = new byte[size];
            frame.get(bytes);
            try {
                long before = seat.sent;
                if (lanes.forward(seat, bytes)) {
                    if (!seat.gone && seat.sent > before) {
                        paceAck(seat, size);
                    }
                    return;
                }
                List<String> r = append(seat, bytes);
                if ("rate".equals(r.get(0)) && lanes.yieldGrant(seat)) {
                    r = append(seat, bytes); // the lane toward this side gave its unused grant back
                }
                switch (r.get(0)) {
                    case "ok" -> {
                        seat.sent = Long.parseLong(r.get(1));
                        paceAck(seat, size);
                    }
                    case "rate" -> end(seat, ErrorCode.RATE_LIMITED, lanes.rateMessage());
                    case "slow" -> end(seat, ErrorCode.SLOW_READER, "the receiving side is not reading: over "
                            + config.bufferBytes() + " bytes are waiting for it; channel closed");
                    case "unpaired" -> end(seat, ErrorCode.UNPAIRED_LIMIT, "over " + config.unpairedBytesPerAddress()
                            + " bytes held in a channel that has no peer yet; channel closed");
                    case "replaced" -> retire(seat, "replaced by a resumed connection");
                    case "gone" -> fail(seat, ErrorCode.INACTIVE, "the channel has expired");
                    default -> { } // ended: the end notice is on its way through the stream
                }
            } catch (JedisException e) {
                lost(seat, e);
            }
        }
    }

    private List<String> append(SharedSeat seat, byte[] bytes) {
        return SharedStore.texts(store.run(SharedScripts.APPEND, seat.id, seat.letter, seat.owner, bytes, flow.now(),
                ttl(), config.rateWindow().toMillis(), config.framesPerWindow(), config.bytesPerWindow(),
                config.bufferBytes(), config.unpairedBytesPerAddress()));
    }

    private void paceAck(SharedSeat seat, int size) {
        seat.bytesSinceAck += size;
        if (seat.resumable && (seat.sent - seat.ackedSent >= ACK_EVERY_FRAMES || seat.bytesSinceAck >= ACK_EVERY_BYTES)) {
            sendAck(seat);
        }
    }

    /** Tells the side how many of its frames the relay holds (for good) and how many the other side consumed. */
    void sendAck(SharedSeat seat) {
        long received = seat.lane != null ? seat.lane.durable : seat.sent;
        Wire.text(seat.conn, Control.ack(received, seat.consumedByOther));
        seat.ackedSent = seat.sent;
        seat.bytesSinceAck = 0;
    }

    /** The receiver consumed {@code consumed} frames: Redis frees them and tells the sender. */
    void confirm(SharedSeat seat, long consumed) {
        // After a resume here the client may confirm frames it received before, which this
        // instance has not read from the stream yet: up to what it said it had.
        if (consumed < 0 || consumed > Math.max(seat.nextIn, seat.skipBelow)) {
            end(seat, ErrorCode.BAD_REQUEST, "a side confirmed frames it was never sent; channel closed");
            return;
        }
        long freed = 0;
        long freedLocal = 0;
        SharedSeat.Held last = null;
        while (!seat.unconfirmed.isEmpty() && seat.unconfirmed.peekFirst().number < consumed) {
            SharedSeat.Held h = seat.unconfirmed.removeFirst();
            if (h.inStream()) {
                last = h;
                freed += h.size;
            } else if (h.local != null) {
                freedLocal += h.size;
            }
        }
        seat.localBytes -= freedLocal;
        seat.confirmedTo = Math.max(seat.confirmedTo, consumed);
        StreamEntryID trimId = last == null ? null : new StreamEntryID(last.idMillis, last.idSequence + 1);
        if (trimId != null) {
            seat.trimmedTo = trimId;
        }
        SharedSeat sender = seats.get(seat.otherInbox());
        if (last == null && sender != null && !sender.gone && sender.lane != null && sender.lane.receiver == seat) {
            lanes.consumed(sender, seat, consumed, freedLocal); // all of it came in memory
            return;
        }
        String trim = trimId == null ? "" : trimId.toString();
        String r = SharedStore.text(store.run(SharedScripts.CONFIRM, seat.id, seat.letter, seat.owner, consumed, trim,
                freed, ttl()));
        if ("bad".equals(r)) {
            end(seat, ErrorCode.BAD_REQUEST, "a side confirmed frames it was never sent; channel closed");
        } else if ("replaced".equals(r)) {
            retire(seat, "replaced by a resumed connection");
        }
    }

    private void leave(SharedSeat seat) {
        lanes.close(seat, true, true);
        List<String> r = SharedStore.texts(store.run(SharedScripts.LEAVE, seat.id, seat.letter, seat.owner, ttl()));
        WebSocket conn = seat.conn;
        release(seat);
        flow.closeLater(conn, CloseFrame.NORMAL, "closed");
        if (!r.isEmpty() && !"1".equals(r.get(0))) {
            endQuietly(seat.id, ErrorCode.PEER_GONE, "host closed before a peer joined", "final");
        } else if (r.size() > 2 && "1".equals(r.get(2))) {
            endQuietly(seat.id, ErrorCode.PEER_GONE, "both sides closed", "final"); // nobody is left to wait for
        }
    }

    /** The side's connection is gone (not a deliberate close). */
    void closed(WebSocket conn, SharedSeat seat, GatedDraft.Cut cut, int code) {
        synchronized (seat.lock) {
            if (seat.gone || seat.conn != conn) {
                return;
            }
            if (cut == GatedDraft.Cut.NO_ROOM) {
                end(seat, ErrorCode.RELAY_BUSY, "the relay had no room for a side's message; channel closed");
            } else if (cut == GatedDraft.Cut.TOO_LARGE || code == CloseFrame.TOOBIG) {
                end(seat, ErrorCode.FRAME_TOO_LARGE, "a side sent a message over its limit; channel closed");
            } else if (!seat.resumable) {
                // A version-1 side cannot come back: its peer hears so, as from the Python relay.
                release(seat);
                endQuietly(seat.id, ErrorCode.PEER_GONE, "a side without resume disconnected", "final");
            } else {
                release(seat, true, true);
                try {
                    store.run(SharedScripts.DROP, seat.id, seat.letter, seat.owner, flow.now(), ttl());
                } catch (JedisException e) {
                    unavailable(e);
                }
                log.detail(seat.label() + " disconnected; waiting for it to resume");
            }
        }
    }

    // ---- what comes from Redis ----

    /** @return the streams to read and the last entry read of each */
    Map<byte[], StreamEntryID> positions() {
        return inbox.positions(seats.values());
    }

    /** Handles what a read of the streams returned. */
    void arrived(List<Map.Entry<byte[], List<StreamEntryBinary>>> streams) {
        failure = null;
        inbox.arrived(streams);
    }

    // ---- ends ----

    /** Ends the channel for both sides with an error; this side hears it at once. */
    void end(SharedSeat seat, ErrorCode code, String message) {
        fail(seat, code, message);
        endQuietly(seat.id, code, message, "error");
    }

    void endQuietly(String id, ErrorCode code, String message, String kind) {
        try {
            store.run(SharedScripts.END, id, code.wire(), message, kind, LINGER_MILLIS);
        } catch (JedisException e) {
            unavailable(e);
        }
    }

    /** This side alone fails (its channel may go on, if Redis has it); used when Redis is unusable. */
    void fail(SharedSeat seat, ErrorCode code, String message) {
        counters.refusal(code);
        WebSocket conn = seat.conn;
        release(seat);
        Wire.text(conn, Control.error(code, message));
        flow.closeLater(conn, CloseFrame.POLICY_VALIDATION, code.wire());
    }

    void lost(SharedSeat seat, JedisException e) {
        unavailable(e);
        fail(seat, ErrorCode.RELAY_UNAVAILABLE, "the relay lost its shared store (Redis); channel closed");
    }

    /** Another connection holds this side now: this one goes without a word (its client resumed). */
    void retire(SharedSeat seat, String why) {
        WebSocket conn = seat.conn;
        release(seat, false, true);
        flow.closeLater(conn, CloseFrame.NORMAL, why);
    }

    void release(SharedSeat seat) {
        release(seat, false, false);
    }

    /**
     * The side leaves this instance. Its lanes close first: with {@code handOff}, the frames the
     * other side sent it in memory go into its stream; with {@code owns} too (its connection is ours
     * in Redis still), so do its own frames sent to the other side in memory.
     */
    private void release(SharedSeat seat, boolean owns, boolean handOff) {
        if (seat.gone) {
            return;
        }
        seat.gone = true;
        seats.remove(seat.inbox, seat);
        lanes.close(seat, owns, handOff);
        if (seat.paired) {
            counters.channelsPaired.decrementAndGet();
        }
        WebSocket conn = seat.conn;
        if (conn != null && conn.getAttachment() instanceof ConnState st && st.seat == seat) {
            st.seat = null;
        }
    }

    void unavailable(JedisException e) {
        boolean first = failure == null;
        failure = "redis: " + e.getMessage();
        if (first) {
            log.info("shared store unusable: " + e.getMessage()); // once, not for every side and sweep
        }
    }

    /** The reader could not read: every side held here fails, as Redis has its frames. */
    void readFailed(JedisException e) {
        unavailable(e);
        try {
            for (SharedSeat s : seats.values()) {
                synchronized (s.lock) {
                    if (!s.gone) {
                        fail(s, ErrorCode.RELAY_UNAVAILABLE, "the relay lost its shared store (Redis); channel closed");
                    }
                }
            }
        } finally {
            flow.runDeferred();
        }
    }

    // ---- clocks ----

    /** Marks this instance alive, checks Redis, and runs each held side's clocks. */
    void sweep(long now) {
        try {
            store.heartbeat(instance, HEARTBEAT_MILLIS);
            if (failure != null) {
                log.info("shared store reachable again");
                failure = null;
            }
        } catch (JedisException e) {
            readFailed(e);
            return;
        }
        for (SharedSeat s : seats.values()) {
            synchronized (s.lock) {
                if (s.gone) {
                    continue;
                }
                try {
                    lanes.checkpoint(s);
                    if (s.gone) {
                        continue;
                    }
                    String r = SharedStore.text(store.run(SharedScripts.SWEEP, s.id, s.letter, now,
                            config.inactivityTimeout().toMillis(), config.resumeGrace().toMillis(), ttl()));
                    if ("inactive".equals(r)) {
                        end(s, ErrorCode.INACTIVE, "no frames for " + config.inactivityTimeout().toSeconds()
                                + " s; channel closed");
                    } else if ("peer_gone".equals(r)) {
                        counters.refusal(ErrorCode.PEER_GONE);
                        endQuietly(s.id, ErrorCode.PEER_GONE,
                                "the other side disconnected and did not come back; channel closed", "gone");
                    } else if ("gone".equals(r)) {
                        fail(s, ErrorCode.INACTIVE, "the channel has expired");
                    }
                } catch (JedisException e) {
                    lost(s, e);
                }
            }
        }
    }

    /**
     * This instance stops: its sides are told to go (a going-away close, no error) and are marked
     * away in Redis, so their clients resume at another instance within the grace period.
     */
    void shutdown() {
        for (SharedSeat s : seats.values()) {
            synchronized (s.lock) {
                if (s.gone) {
                    continue;
                }
                WebSocket conn = s.conn;
                release(s, s.resumable, true);
                flow.closeLater(conn, CloseFrame.GOING_AWAY, "relay instance stopping");
                try {
                    if (s.resumable) {
                        store.run(SharedScripts.DROP, s.id, s.letter, s.owner, flow.now(), ttl());
                    } else {
                        endQuietly(s.id, ErrorCode.PEER_GONE, "a side without resume disconnected", "final");
                    }
                } catch (JedisException e) {
                    unavailable(e);
                }
            }
        }
        try {
            store.forget(instance);
        } catch (JedisException e) {
            unavailable(e);
        }
    }

    /** @return distinct channels with a side held here */
    int channelCount() {
        return (int) seats.values().stream().map(s -> s.id).distinct().count();
    }
}
