package wormhole.relayserver.internal;

/**
 * A token bucket that refills {@code capacity} tokens per window, continuously. Not thread-safe: the
 * channel that owns it guards it.
 */
final class TokenBucket {
    private final double capacity;
    private final double perMilli;
    private double tokens;
    private long lastMillis;

    TokenBucket(long capacity, long windowMillis, long nowMillis) {
        this.capacity = capacity;
        this.perMilli = (double) capacity / windowMillis;
        this.tokens = capacity;
        this.lastMillis = nowMillis;
    }

    /** Takes {@code amount} tokens if there are that many; otherwise takes nothing. */
    boolean tryTake(long amount, long nowMillis) {
        refill(nowMillis);
        if (tokens + 1e-9 < amount) {
            return false;
        }
        tokens -= amount;
        return true;
    }

    private void refill(long nowMillis) {
        long elapsed = nowMillis - lastMillis;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * perMilli);
            lastMillis = nowMillis;
        }
    }
}
