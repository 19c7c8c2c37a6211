package wormhole.relayserver.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Amounts counted per key (a client address) under a cap: its connections, its channels, its bytes.
 * Each call is atomic on its own, so it may be called with a channel's lock held.
 */
final class Quota {
    private final Map<String, Long> used = new ConcurrentHashMap<>();

    /** @return whether {@code amount} was counted for {@code key} without passing {@code limit} (nothing is, when not) */
    boolean tryAdd(String key, long amount, long limit) {
        boolean[] ok = {false};
        used.compute(key, (k, n) -> {
            long now = n == null ? 0 : n;
            if (now + amount > limit) {
                return n;
            }
            ok[0] = true;
            return now + amount;
        });
        return ok[0];
    }

    /** Gives back what {@link #tryAdd} counted; a key whose count reaches zero is forgotten. */
    void release(String key, long amount) {
        if (amount > 0) {
            used.computeIfPresent(key, (k, n) -> n - amount <= 0 ? null : n - amount);
        }
    }
}
