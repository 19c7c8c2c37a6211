package wormhole.api.internal;

import java.io.IOException;

/**
 * Where the readers of a {@link PathLink}'s two paths hand over numbered frames: each frame is taken
 * once and in order of its number, whichever path it came by. A frame numbered below the next one
 * expected is a copy (resent over the relay after the direct path broke) and is dropped; one above it
 * waits until the frames before it arrived on the other path. One frame is held at a time, so a
 * reader waits while the engine is busy, as with a plain link.
 */
final class InOrder {
    private byte[] slot;
    private long next;
    private IOException failure;

    /**
     * Hands over frame {@code number}, waiting for its turn.
     *
     * @return false when it was a copy of a frame already taken, or the link has failed
     */
    synchronized boolean deliver(long number, byte[] frame) throws InterruptedException {
        while (failure == null && number >= next && (slot != null || number > next)) {
            wait();
        }
        if (failure != null || number < next) {
            return false;
        }
        slot = frame;
        next++;
        notifyAll();
        return true;
    }

    /** @return the next frame in order; waits for it */
    synchronized byte[] take() throws IOException {
        while (slot == null) {
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
        byte[] f = slot;
        slot = null;
        notifyAll();
        return f;
    }

    /** @return how many frames were handed over: the count this end confirms */
    synchronized long count() {
        return next;
    }

    /** Ends the link: the frame held is still taken, then {@code why} is thrown. The first failure wins. */
    synchronized void fail(IOException why) {
        if (failure == null) {
            failure = why;
        }
        notifyAll();
    }
}
