package wormhole.relayserver.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The frames of one direction of a channel, numbered from 0 in the order the sender sent them. It
 * holds frames not yet written to the receiver ({@code pending}) and, for a receiver that can resume,
 * frames written but not yet confirmed ({@code unconfirmed}), so they can be replayed after a
 * reconnect. Guarded by the channel's lock.
 */
final class Direction {
    private final ArrayDeque<ByteBuffer> unconfirmed = new ArrayDeque<>();
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private long base;
    private long accepted;
    private long bytes;

    /** @return how many frames the sender has handed to the relay in all */
    long accepted() {
        return accepted;
    }

    /** @return the index of the next frame to write to the receiver */
    long delivered() {
        return accepted - pending.size();
    }

    /** @return the index of the oldest frame held: the receiver has confirmed every frame below it */
    long base() {
        return base;
    }

    /** @return bytes held */
    long bytes() {
        return bytes;
    }

    void accept(ByteBuffer frame) {
        pending.addLast(frame.asReadOnlyBuffer());
        bytes += frame.remaining();
        accepted++;
    }

    boolean hasUndelivered() {
        return !pending.isEmpty();
    }

    /** @return the next undelivered frame, now counted as delivered; a duplicate the caller may consume */
    ByteBuffer nextToDeliver() {
        ByteBuffer frame = pending.removeFirst();
        unconfirmed.addLast(frame);
        return frame.duplicate();
    }

    /** Drops frames below {@code index} (never beyond what was delivered); returns the bytes freed. */
    long releaseTo(long index) {
        long freed = 0;
        while (base < index && !unconfirmed.isEmpty()) {
            freed += unconfirmed.removeFirst().remaining();
            base++;
        }
        bytes -= freed;
        return freed;
    }

    /** Rewinds delivery to {@code index}, for a receiver that resumed having received that many. */
    void rewindTo(long index) {
        if (index < base || index > delivered()) {
            throw new IllegalArgumentException("index outside the held window");
        }
        while (delivered() > index) {
            pending.addFirst(unconfirmed.removeLast());
        }
    }

    /** Drops everything; returns the bytes freed. */
    long clear() {
        long freed = bytes;
        unconfirmed.clear();
        pending.clear();
        bytes = 0;
        base = accepted;
        return freed;
    }
}
