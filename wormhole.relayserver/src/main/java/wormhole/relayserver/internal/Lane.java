package wormhole.relayserver.internal;

/**
 * One direction of a shared channel whose two sides this instance holds, while its frames go
 * straight to the receiver's connection instead of through Redis: what Redis holds for good of
 * the sender's frames, and the part of the channel's rate window taken for the lane. Guarded by
 * the seats' lock. docs/relay-redis.md ("Lanes") has the design.
 */
final class Lane {
    /** The side the frames go to. */
    final SharedSeat receiver;
    /**
     * The sender's frames Redis holds for good (its {@code acc}): the receiver consumed them, or they
     * are in its stream. The sender hears this as {@code received}, so it keeps every frame above it,
     * and a resume anywhere resends from here.
     */
    long durable;
    /** The grant taken from the channel's rate window: the window's start, frames and bytes. */
    long grantWindow = -1;
    long grantFrames;
    long grantBytes;
    long usedFrames;
    long usedBytes;
    /** Bytes the receiver consumed since the last checkpoint. */
    long consumedBytes;
    /** Frames or confirmations since the last checkpoint: the next sweep writes them to Redis. */
    boolean dirty;

    Lane(SharedSeat receiver, long durable) {
        this.receiver = receiver;
        this.durable = durable;
    }

    /** @return whether the grant covers one more frame of {@code size} bytes at {@code now} */
    boolean covers(int size, long now, long window) {
        return usedFrames < grantFrames && usedBytes + size <= grantBytes && now - grantWindow < window;
    }

    long unusedFrames() {
        return Math.max(0, grantFrames - usedFrames);
    }

    long unusedBytes() {
        return Math.max(0, grantBytes - usedBytes);
    }

    /** A checkpoint succeeded: a fresh grant, and nothing pending. */
    void granted(long acc, long frames, long bytes, long window) {
        durable = Math.max(durable, acc);
        grantFrames = frames;
        grantBytes = bytes;
        grantWindow = window;
        usedFrames = 0;
        usedBytes = 0;
        consumedBytes = 0;
        dirty = false;
    }
}
