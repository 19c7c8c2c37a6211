package wormhole.relayserver.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.CloseFrame;
import wormhole.relayserver.RelayConfig;

/**
 * What happens inside a joined channel: forwarding frames, confirmations, a side dropping or
 * leaving, and the channel's end. Every method is called with the channel's lock held.
 *
 * <p>A little over 300 lines, as one unit: these are the rules of one channel's state (held frames,
 * counts, who is connected, whether it ended), and each rule reads the others' results under the
 * same lock; admission and joins are elsewhere ({@link Router}, {@link Joins}).
 */
final class Flow {
    /** A sender hears how far the relay got after this many frames or bytes, whichever comes first. */
    private static final int ACK_EVERY_FRAMES = 16;
    private static final long ACK_EVERY_BYTES = 256 * 1024;
    /** How long after its error a refused connection is closed. */
    private static final long CLOSE_DELAY_MILLIS = 250;

    private final RelayConfig config;
    private final Registry registry;
    private final Counters counters;
    private final RelayLog log;
    private final ScheduledExecutorService closer;
    /**
     * Closes waiting to run once the caller has left the channel's lock: a WebSocket's close holds
     * the connection's monitor, under which the library calls back into us (and our channel lock).
     */
    private final ThreadLocal<ArrayDeque<Runnable>> deferred = ThreadLocal.withInitial(ArrayDeque::new);

    Flow(RelayConfig config, Registry registry, Counters counters, RelayLog log, ScheduledExecutorService closer) {
        this.config = config;
        this.closer = closer;
        this.registry = registry;
        this.counters = counters;
        this.log = log;
    }

    /** Closes {@code conn} once the current callback has released every channel lock. */
    void closeLater(WebSocket conn, int code, String reason) {
        if (conn != null) {
            deferred.get().add(() -> conn.close(code, reason));
        }
    }

    /**
     * Runs the deferred closes a moment later on another thread; every entry point calls it last.
     * The delay lets a client that is still sending read the error first: the WebSocket library
     * closes a server's TCP connection right after its close frame, and closing a socket with
     * unread input resets it, which can discard the error the client had not read yet.
     */
    void runDeferred() {
        ArrayDeque<Runnable> queue = deferred.get();
        for (Runnable r = queue.poll(); r != null; r = queue.poll()) {
            try {
                closer.schedule(r, CLOSE_DELAY_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                r.run();
            }
        }
    }

    long now() {
        return config.clock().millis();
    }

    /** @return the side {@code conn} speaks for, or null if the channel ended or the connection was replaced */
    Seat current(RelayChannel ch, ConnState st, WebSocket conn) {
        if (ch.ended || st.role == null) {
            return null;
        }
        Seat s = ch.side(st.role);
        return s.conn == conn ? s : null;
    }

    /** Makes {@code conn} the connection of side {@code s}, with the message limit of the channel's state. */
    void attach(RelayChannel ch, Seat s, WebSocket conn) {
        ConnState st = conn.getAttachment();
        s.conn = conn;
        s.absentSince = -1;
        st.channel = ch;
        st.role = s.role;
        limitMessages(conn, ch.paired ? config.maxMessageBytes() : unpairedMessageLimit());
    }

    /** The channel has both sides now: the host may send full-size messages, and its unpaired share is free. */
    void pair(RelayChannel ch) {
        ch.paired = true;
        counters.channelsPaired.incrementAndGet();
        registry.releaseUnpaired(ch.host.address, ch.unpairedBytes);
        ch.unpairedBytes = 0;
        limitMessages(ch.host.conn, config.maxMessageBytes());
    }

    private int unpairedMessageLimit() {
        return (int) Math.min(config.maxMessageBytes(), config.unpairedBytesPerAddress());
    }

    private static void limitMessages(WebSocket conn, int bytes) {
        if (conn != null && conn.getDraft() instanceof GatedDraft gate) {
            gate.limit(bytes);
        }
    }

    /** Takes one binary frame from {@code s}: checks every limit, then holds and forwards it. */
    void frame(RelayChannel ch, Seat s, ByteBuffer frame) {
        int size = frame.remaining();
        long now = now();
        if (size > config.maxMessageBytes()) {
            end(ch, ErrorCode.FRAME_TOO_LARGE, "a frame of " + size + " bytes is over the "
                    + config.maxFrameBytes() + "-byte limit; channel closed");
            return;
        }
        if (!ch.frameRate.tryTake(1, now) || !ch.byteRate.tryTake(size, now)) {
            end(ch, ErrorCode.RATE_LIMITED, "over the limit of " + config.framesPerWindow() + " frames and "
                    + config.bytesPerWindow() + " bytes per " + config.rateWindow().toMillis()
                    + " ms; channel closed");
            return;
        }
        Direction out = ch.from(s);
        if (out.bytes() + size > config.bufferBytes()) {
            end(ch, ErrorCode.SLOW_READER, "the receiving side is not reading: " + out.bytes()
                    + " bytes are waiting for it; channel closed");
            return;
        }
        if (!ch.paired) {
            if (!registry.holdUnpaired(ch.host.address, size, config.unpairedBytesPerAddress())) {
                end(ch, ErrorCode.UNPAIRED_LIMIT, "this address holds over " + config.unpairedBytesPerAddress()
                        + " bytes in channels that have no peer yet; channel closed");
                return;
            }
            ch.unpairedBytes += size;
        }
        if (!registry.reserve(size, config.maxBufferedBytes())) {
            end(ch, ErrorCode.RELAY_BUSY, "the relay has no buffer space left; channel closed");
            return;
        }
        out.accept(frame);
        ch.lastActivity = now;
        s.bytesSinceAck += size;
        Seat receiver = ch.other(s);
        if (ch.paired && receiver.connected()) {
            deliver(ch, receiver);
        }
        if (!ch.ended && s.resumable && (out.accepted() - s.ackedAccepted >= ACK_EVERY_FRAMES
                || s.bytesSinceAck >= ACK_EVERY_BYTES)) {
            sendAck(ch, s);
        }
    }

    /** Writes every frame {@code r} has not been sent yet; a side that cannot resume keeps no copy. */
    void deliver(RelayChannel ch, Seat r) {
        Direction in = ch.to(r);
        while (in.hasUndelivered()) {
            ByteBuffer f = in.nextToDeliver();
            int n = f.remaining();
            Wire.binary(r.conn, f);
            counters.framesForwarded.increment();
            counters.bytesForwarded.add(n);
        }
        if (!r.resumable) {
            registry.free(in.releaseTo(in.delivered()));
        }
        // A receiver that resumes confirms what it consumed, and its unconfirmed frames count in the
        // direction's buffer (checked as they arrive); one that does not is bounded here.
        if (!r.resumable && Wire.queuedBytes(r.conn) > config.bufferBytes()) {
            end(ch, ErrorCode.SLOW_READER, "the receiving side is not reading: its connection has more than "
                    + config.bufferBytes() + " bytes queued; channel closed");
        }
    }

    /** Tells sender {@code s} how many of its frames the relay holds and how many the receiver confirmed. */
    void sendAck(RelayChannel ch, Seat s) {
        Direction out = ch.from(s);
        Wire.text(s.conn, Control.ack(out.accepted(), out.base()));
        s.ackedAccepted = out.accepted();
        s.ackedReleased = out.base();
        s.bytesSinceAck = 0;
    }

    /** Receiver {@code s} confirms it has consumed {@code consumed} frames: free them, tell the sender. */
    void confirm(RelayChannel ch, Seat s, long consumed) {
        Direction in = ch.to(s);
        if (consumed < 0 || consumed > in.delivered()) {
            end(ch, ErrorCode.BAD_REQUEST, "a side confirmed frames it was never sent; channel closed");
            return;
        }
        registry.free(in.releaseTo(consumed));
        Seat sender = ch.other(s);
        if (sender.resumable && sender.connected() && in.base() != sender.ackedReleased) {
            sendAck(ch, sender);
        }
    }

    /** Seat {@code s} asked to close: the other side gets everything already sent, then the goodbye. */
    void leave(RelayChannel ch, Seat s) {
        s.leaving = true;
        WebSocket conn = s.conn;
        detach(s);
        closeLater(conn, CloseFrame.NORMAL, "closed");
        if (!ch.paired) {
            finish(ch, null, CloseFrame.NORMAL, "host closed before a peer joined");
            return;
        }
        finishLeaveIfDelivered(ch);
    }

    /** Ends a channel one of whose sides left, once the other side is connected and has every frame. */
    void finishLeaveIfDelivered(RelayChannel ch) {
        for (Seat s : List.of(ch.host, ch.peer)) {
            Seat o = ch.other(s);
            if (s.leaving && o.connected() && !ch.to(o).hasUndelivered()) {
                finish(ch, side -> side.resumable ? Control.peerGoneFinal() : Control.status("peer_disconnected"),
                        CloseFrame.NORMAL, "a side closed");
                return;
            }
        }
    }

    /** The connection of side {@code s} dropped. A side that can resume gets the grace period. */
    void dropped(RelayChannel ch, Seat s) {
        detach(s);
        if (s.leaving) {
            return;
        }
        Seat o = ch.other(s);
        if (!s.resumable) {
            // A version-1 side cannot come back: its peer hears so, as from the Python relay.
            finish(ch, side -> side.resumable ? Control.peerGoneFinal() : Control.status("peer_disconnected"),
                    CloseFrame.NORMAL, "a side without resume disconnected");
            return;
        }
        s.absentSince = now();
        if (ch.paired && o.connected() && o.resumable) {
            Wire.text(o.conn, Control.status("peer_disconnected"));
        }
        log.detail(ch.label() + ": " + s.role.wire() + " disconnected; waiting for it to resume");
    }

    /** Checks the channel's clocks: inactivity, and a side that did not resume in time. */
    void sweep(RelayChannel ch, long now) {
        if (now - ch.lastActivity >= config.inactivityTimeout().toMillis()) {
            end(ch, ErrorCode.INACTIVE, "no frames for " + config.inactivityTimeout().toSeconds()
                    + " s; channel closed");
            return;
        }
        for (Seat s : List.of(ch.host, ch.peer)) {
            if (s.absentSince >= 0 && now - s.absentSince >= config.resumeGrace().toMillis()) {
                counters.refusal(ErrorCode.PEER_GONE);
                String message = "the other side disconnected and did not come back; channel closed";
                finish(ch, side -> side.resumable ? Control.error(ErrorCode.PEER_GONE, message)
                        : Control.status("peer_disconnected"), CloseFrame.NORMAL, "a side did not resume");
                return;
            }
        }
    }

    /** Ends the channel with an error to every connected side. */
    void end(RelayChannel ch, ErrorCode code, String message) {
        counters.refusal(code);
        int closeCode = code == ErrorCode.SHUTTING_DOWN ? CloseFrame.GOING_AWAY : CloseFrame.POLICY_VALIDATION;
        finish(ch, side -> Control.error(code, message), closeCode, code.wire());
    }

    /**
     * Ends the channel: sends each connected side its notice (if any), closes it, frees the buffers
     * and forgets the channel.
     */
    void finish(RelayChannel ch, Function<Seat, String> notice, int closeCode, String why) {
        if (ch.ended) {
            return;
        }
        ch.ended = true;
        List<String> tokens = new ArrayList<>(2);
        for (Seat s : List.of(ch.host, ch.peer)) {
            if (s.token != null) {
                tokens.add(s.token);
            }
            WebSocket conn = s.conn;
            if (conn == null) {
                continue;
            }
            detach(s);
            if (notice != null) {
                Wire.text(conn, notice.apply(s));
            }
            closeLater(conn, closeCode, why);
        }
        registry.free(ch.toPeer.clear() + ch.toHost.clear());
        registry.releaseUnpaired(ch.host.address, ch.unpairedBytes);
        ch.unpairedBytes = 0;
        if (ch.paired) {
            counters.channelsPaired.decrementAndGet();
        }
        registry.remove(ch, tokens, ch.addresses);
        log.detail(ch.label() + " ended: " + why);
    }

    void detach(Seat s) {
        WebSocket conn = s.conn;
        if (conn != null) {
            ConnState st = conn.getAttachment();
            st.channel = null;
            s.conn = null;
        }
    }
}
