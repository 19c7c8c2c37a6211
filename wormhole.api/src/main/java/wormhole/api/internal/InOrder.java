package wormhole.api.internal;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * Where the readers of a {@link PathLink}'s two paths hand over numbered frames: each frame is taken
 * once and in order of its number, whichever path it came by. A frame numbered below the next one
 * expected is a copy (resent over the relay after the direct path broke) and is dropped; one above it
 * waits until the frames before it arrived on the other path.
 *
 * <p>It holds a short run of frames ({@link #HELD_FRAMES}, at most {@link #HELD_BYTES}), so a reader
 * goes on reading while the engine works on the frames before: with one frame held at a time, the
 * reader and the engine woke each other for every 64 KiB of a file (a 1 GiB receiver switched
 * threads about 30,000 times; now about 10,000, as a direct channel's 6,000 or so). A reader still
 * waits while the run is full, and is woken again when half of it is taken.
 */
final class InOrder {
    /** The most frames held for the engine. */
    static final int HELD_FRAMES = 16;
    /** The most bytes held for the engine (one frame is always taken, whatever its size). */
    static final long HELD_BYTES = 1024 * 1024;

    private final ArrayDeque<byte[]> held = new ArrayDeque<>();
    private long heldBytes;
    /** Readers waiting for room (not for their turn). */
    private int waitingForRoom;
    private long next;
    private IOException failure;

    /**
     * Hands over frame {@code number}, waiting for its turn and for room.
     *
     * @return false when it was a copy of a frame already taken, or the link has failed
     */
    synchronized boolean deliver(long number, byte[] frame) throws InterruptedException {
        while (failure == null && number >= next && (number > next || full())) {
            boolean forRoom = number == next;
            waitingForRoom += forRoom ? 1 : 0;
            try {
                wait();
            } finally {
                waitingForRoom -= forRoom ? 1 : 0;
            }
        }
        if (failure != null || number < next) {
            return false;
        }
        held.add(frame);
        heldBytes += frame.length;
        next++;
        notifyAll(); // the engine may wait for a frame, the other path's reader for its turn
        return true;
    }

    private boolean full() {
        return !held.isEmpty() && (held.size() >= HELD_FRAMES || heldBytes >= HELD_BYTES);
    }

    /** @return the next frame in order; waits for it */
    synchronized byte[] take() throws IOException {
        while (held.isEmpty()) {
            if (failure != null) {
                throw failure;
            }
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for a frame", e);
            }
        }
        byte[] f = held.poll();
        heldBytes -= f.length;
        if (waitingForRoom > 0 && held.size() <= HELD_FRAMES / 2 && heldBytes <= HELD_BYTES / 2) {
            notifyAll(); // room for half a run: the reader goes on, and is not woken for every frame
        }
        return f;
    }

    /** @return how many frames were handed over: the count this end confirms */
    synchronized long count() {
        return next;
    }

    /** Ends the link: the frames held are still taken, then {@code why} is thrown. The first failure wins. */
    synchronized void fail(IOException why) {
        if (failure == null) {
            failure = why;
        }
        notifyAll();
    }
}
