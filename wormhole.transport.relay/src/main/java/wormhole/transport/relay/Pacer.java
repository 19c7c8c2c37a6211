package wormhole.transport.relay;

/**
 * Client-side pacing under a relay's rate limits: a token bucket for messages and one for bytes,
 * each holding {@code share} of the relay's per-window budget (the other side of the channel sends
 * under the same budget) and refilling continuously. A message larger than the whole byte bucket
 * may go once the bucket is full, leaving it in debt. Not thread-safe; the session guards it.
 */
final class Pacer {
    /** Each side assumes it may use this much of the channel's budget, leaving a margin for timing. */
    static final double SHARE = 0.45;

    private final double frameCapacity;
    private final double byteCapacity;
    private final double framesPerNano;
    private final double bytesPerNano;
    private double frames;
    private double bytes;
    private long last;

    Pacer(Limits limits, long nowNanos) {
        frameCapacity = Math.max(1, Math.floor(limits.framesPerWindow() * SHARE));
        byteCapacity = Math.max(1, limits.bytesPerWindow() * SHARE);
        double windowNanos = limits.windowMillis() * 1_000_000.0;
        framesPerNano = limits.framesPerWindow() * SHARE / windowNanos;
        bytesPerNano = limits.bytesPerWindow() * SHARE / windowNanos;
        frames = frameCapacity;
        bytes = byteCapacity;
        last = nowNanos;
    }

    /** @return nanoseconds to wait before a message of {@code size} bytes may go; 0 when it may go now */
    long delayNanos(long size, long nowNanos) {
        refill(nowNanos);
        double needBytes = Math.min(size, byteCapacity);
        double waitFrames = frames >= 1 ? 0 : (1 - frames) / framesPerNano;
        double waitBytes = bytes >= needBytes ? 0 : (needBytes - bytes) / bytesPerNano;
        return (long) Math.ceil(Math.max(waitFrames, waitBytes));
    }

    void take(long size, long nowNanos) {
        refill(nowNanos);
        frames -= 1;
        bytes -= size;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - last;
        if (elapsed > 0) {
            frames = Math.min(frameCapacity, frames + elapsed * framesPerNano);
            bytes = Math.min(byteCapacity, bytes + elapsed * bytesPerNano);
            last = nowNanos;
        }
    }
}
