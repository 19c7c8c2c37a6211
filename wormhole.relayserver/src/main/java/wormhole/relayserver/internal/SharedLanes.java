package wormhole.relayserver.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisException;
import wormhole.relayserver.RelayConfig;

/**
 * Lanes of the {@link SharedRelay}: when this instance holds both sides of a channel, a side's
 * frames go straight to the other side's connection, and Redis sees only checkpoints (the
 * receiver's consumed count, a rate grant) every {@link #SYNC_FRAMES} frames or {@link #SYNC_BYTES}
 * bytes consumed, and once a sweep after any activity. The sender is told {@code received} = what a
 * checkpoint made durable, so it keeps every frame the relay has only in memory, and a resume
 * anywhere resends from there. When a lane ends with its sender still here, the frames its
 * receiver has not consumed go into the receiver's stream ({@link SharedScripts#HANDOFF}).
 * Every method runs under the seats' lock; docs/relay-redis.md ("Lanes") has the design.
 */
final class SharedLanes {
    /** A checkpoint after this many frames consumed, or this many bytes, whichever comes first. */
    static final int SYNC_FRAMES = 256;
    static final long SYNC_BYTES = 8L << 20;
    /** At most this much of the channel's rate window is taken at once for a lane. */
    private static final long GRANT_FRAMES = 1024;
    private static final long GRANT_BYTES = 64L << 20;
    private static final long RETRY_MILLIS = 200;

    /** How a checkpoint went. */
    enum Sync { OK, BUSY, RATE, SENDER_REPLACED, RECEIVER_REPLACED, ENDED, GONE }

    private final RelayConfig config;
    private final SharedStore store;
    private final Counters counters;
    private final Flow flow;
    private final SharedRelay relay;

    SharedLanes(RelayConfig config, SharedStore store, Counters counters, Flow flow, SharedRelay relay) {
        this.config = config;
        this.store = store;
        this.counters = counters;
        this.flow = flow;
        this.relay = relay;
    }

    /**
     * Forwards a frame of {@code s} in memory when both sides are here.
     *
     * @return false when the frame must go through Redis instead (no lane)
     */
    boolean forward(SharedSeat s, byte[] bytes) {
        if (s.lane != null && s.lane.receiver.gone && !settle(s)) {
            return true;
        }
        SharedSeat r = relay.held(s.otherInbox());
        if (r == null || r.gone || !s.resumable || !r.resumable || !s.paired || !r.paired) {
            return false;
        }
        long now = flow.now();
        if (s.lane == null && !open(s, r, now)) {
            return s.gone;
        }
        Lane lane = s.lane;
        if (!lane.covers(bytes.length, now, config.rateWindow().toMillis())) {
            Sync result = sync(s, r, 1, bytes.length, false);
            if (result == Sync.RATE && yieldGrant(s) && !s.gone && s.lane != null) {
                result = sync(s, r, 1, bytes.length, false); // exact at the limit: the other lane's grant came back
            }
            if (s.gone) {
                return true;
            }
            if (s.lane == null) {
                return false; // handed over (the receiver moved) or ended: this frame goes through Redis
            }
            if (result != Sync.OK) {
                relay.end(s, ErrorCode.RATE_LIMITED, rateMessage()); // the only failure that keeps the lane
                return true;
            }
        }
        if (r.localBytes + bytes.length > config.bufferBytes()) {
            relay.end(s, ErrorCode.SLOW_READER, "the receiving side is not reading: over "
                    + config.bufferBytes() + " bytes are waiting for it; channel closed");
            return true;
        }
        long n = s.sent;
        r.unconfirmed.addLast(SharedSeat.Held.local(n, bytes));
        r.localBytes += bytes.length;
        r.nextIn = n + 1;
        lane.usedFrames++;
        lane.usedBytes += bytes.length;
        lane.dirty = true;
        if (n >= r.skipBelow) {
            Wire.binary(r.conn, ByteBuffer.wrap(bytes));
            counters.framesForwarded.increment();
            counters.bytesForwarded.add(bytes.length);
        }
        counters.framesInLanes.increment();
        s.sent = n + 1;
        return true;
    }

    String rateMessage() {
        return "over the limit of " + config.framesPerWindow() + " frames and " + config.bytesPerWindow() + " bytes per "
                + config.rateWindow().toMillis() + " ms; channel closed";
    }

    /**
     * Gives back the unused rate grant of the lane toward {@code s}, if any, so that a frame of
     * {@code s} is refused only when the channel's frames really reached the limit.
     *
     * @return whether something came back
     */
    boolean yieldGrant(SharedSeat s) {
        SharedSeat other = relay.held(s.otherInbox());
        if (other == null || other.gone || other.lane == null || other.lane.receiver != s
                || other.lane.unusedFrames() + other.lane.unusedBytes() == 0) {
            return false;
        }
        return sync(other, s, 0, 0, false, 0, 0) == Sync.OK;
    }

    /** Opens a lane from {@code s} to {@code r} if nothing of that direction is held in Redis. */
    private boolean open(SharedSeat s, SharedSeat r, long now) {
        if (now < s.laneRetryAt || !r.unconfirmed.isEmpty() || s.sent > Math.max(r.nextIn, r.confirmedTo)) {
            return false;
        }
        s.lane = new Lane(r, s.sent);
        Sync result = sync(s, r, 0, 0, true);
        if (result != Sync.OK) {
            s.lane = null;
            s.laneRetryAt = now + RETRY_MILLIS;
            return false;
        }
        r.nextIn = Math.max(r.nextIn, s.sent);
        counters.lanesOpened.increment();
        return true;
    }

    /** The receiver {@code r} consumed {@code consumed} of {@code s}'s frames, {@code bytes} of them in memory only. */
    void consumed(SharedSeat s, SharedSeat r, long consumed, long bytes) {
        Lane lane = s.lane;
        lane.dirty = true;
        lane.consumedBytes += bytes;
        if (consumed > s.consumedByOther) {
            s.consumedByOther = consumed;
            relay.sendAck(s);
        }
        if (consumed - lane.durable >= SYNC_FRAMES || lane.consumedBytes >= SYNC_BYTES) {
            sync(s, r, 0, 0, false);
        }
    }

    /** Writes what a sweep found pending: consumed counts, the activity clock, a fresh grant. */
    void checkpoint(SharedSeat s) {
        if (s.lane == null) {
            return;
        }
        if (s.lane.receiver.gone) {
            settle(s);
        } else if (s.lane.dirty) {
            sync(s, s.lane.receiver, 0, 0, false);
        }
    }

    /**
     * The receiver of {@code s}'s lane left without handing the lane over (the channel ended, or
     * Redis failed): hands it over now.
     *
     * @return whether {@code s} goes on (its frames through Redis from now)
     */
    private boolean settle(SharedSeat s) {
        return after(s, handOff(s, s.lane.receiver));
    }

    /**
     * {@code s} stays here after its lane was handed over with this result. Unless its frames
     * moved, its count and Redis's differ, so it must resume (anywhere) and resend from what Redis holds.
     *
     * @return whether {@code s} goes on
     */
    private boolean after(SharedSeat s, String handOff) {
        switch (handOff) {
            case "ok" -> {
                return true;
            }
            case "ended" -> { } // its end notice is on its way
            case "replaced" -> relay.retire(s, "replaced by a resumed connection");
            case "gone" -> relay.fail(s, ErrorCode.INACTIVE, "the channel has expired");
            default -> relay.fail(s, ErrorCode.RELAY_UNAVAILABLE, "the relay lost its shared store (Redis); channel closed");
        }
        return false;
    }

    /**
     * A checkpoint of the lane from {@code s} to {@code r}; on failure the lane is closed or the
     * channel handled (ended, a replaced side retired).
     */
    private Sync sync(SharedSeat s, SharedSeat r, long needFrames, long needBytes, boolean start) {
        return sync(s, r, needFrames, needBytes, start, GRANT_FRAMES, GRANT_BYTES);
    }

    private Sync sync(SharedSeat s, SharedSeat r, long needFrames, long needBytes, boolean start, long capFrames,
            long capBytes) {
        Lane lane = s.lane;
        long before = lane.durable;
        List<String> reply = SharedStore.texts(store.run(SharedScripts.SYNC, s.id, s.letter, s.owner, r.owner,
                r.confirmedTo, s.sent, flow.now(), config.inactivityTimeout().toMillis(),
                config.rateWindow().toMillis(), config.framesPerWindow(), config.bytesPerWindow(), lane.unusedFrames(),
                lane.unusedBytes(), lane.grantWindow, needFrames, needBytes, capFrames, capBytes,
                start ? 1 : 0));
        Sync result = switch (reply.get(0)) {
            case "ok" -> Sync.OK;
            case "busy" -> Sync.BUSY;
            case "rate" -> Sync.RATE;
            case "replaced" -> Sync.SENDER_REPLACED;
            case "replaced_other" -> Sync.RECEIVER_REPLACED;
            case "ended" -> Sync.ENDED;
            default -> Sync.GONE;
        };
        switch (result) {
            case OK -> {
                lane.granted(Long.parseLong(reply.get(1)), Long.parseLong(reply.get(2)), Long.parseLong(reply.get(3)),
                        Long.parseLong(reply.get(4)));
                if (lane.durable > before && !start) {
                    relay.sendAck(s);
                }
            }
            case BUSY, RATE -> { } // the caller decides
            case SENDER_REPLACED -> relay.retire(s, "replaced by a resumed connection");
            case RECEIVER_REPLACED -> relay.retire(r, "replaced by a resumed connection");
            case ENDED -> s.lane = null; // the end notice is on its way through the stream
            case GONE -> relay.fail(s, ErrorCode.INACTIVE, "the channel has expired");
        }
        return result;
    }

    /**
     * Closes the lanes of {@code seat}'s channel before {@code seat} leaves this instance.
     *
     * @param owns whether {@code seat} still owns its side in Redis (it dropped, left or this
     *     instance stops), so its own lane's frames can be handed over; false when another connection
     *     took its side over, which resends them
     * @param handOff whether the other side's lane toward {@code seat} hands its frames over (false
     *     when the channel has ended or Redis is unusable)
     */
    void close(SharedSeat seat, boolean owns, boolean handOff) {
        if (seat.lane != null) {
            if (owns && handOff && !seat.lane.receiver.gone) {
                handOff(seat, seat.lane.receiver);
            }
            seat.lane = null;
        }
        SharedSeat other = relay.held(seat.otherInbox());
        if (handOff && other != null && !other.gone && other.lane != null && other.lane.receiver == seat) {
            after(other, handOff(other, seat));
        }
        // Without handOff, the other side's lane is handed over at its next frame or sweep.
    }

    /**
     * The frames {@code r} has only in memory go into its stream, and the lane from {@code s} ends.
     *
     * @return {@code ok}, {@code replaced}, {@code ended}, {@code gone} or {@code error} (Redis failed)
     */
    private String handOff(SharedSeat s, SharedSeat r) {
        Lane lane = s.lane;
        s.lane = null;
        List<SharedSeat.Held> moving = new ArrayList<>();
        List<Object> args = new ArrayList<>(List.of(s.id, s.letter, s.owner, r.confirmedTo, s.sent,
                config.inactivityTimeout().toMillis(), lane.unusedFrames(), lane.unusedBytes(), lane.grantWindow));
        for (SharedSeat.Held h : r.unconfirmed) {
            if (h.local != null) {
                moving.add(h);
                args.add(h.number);
                args.add(h.local);
            }
        }
        List<String> reply;
        try {
            reply = SharedStore.texts(store.run(SharedScripts.HANDOFF, args.toArray()));
        } catch (JedisException e) {
            relay.unavailable(e);
            return "error";
        }
        if (!"ok".equals(reply.get(0))) {
            return reply.get(0); // the sender is no longer ours (it resends) or the channel is over
        }
        for (int i = 0; i < moving.size(); i++) {
            moving.get(i).at(new StreamEntryID(reply.get(i + 1)));
            r.localBytes -= moving.get(i).size;
        }
        counters.lanesHandedOver.increment();
        return "ok";
    }
}
