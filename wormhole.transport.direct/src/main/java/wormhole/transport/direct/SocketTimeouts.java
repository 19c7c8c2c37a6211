package wormhole.transport.direct;

import java.time.Duration;

/** Turns {@link Duration}s into the int milliseconds of socket options, where 0 means no limit. */
final class SocketTimeouts {
    private SocketTimeouts() {
    }

    /**
     * @param timeout a non-negative duration; {@link Duration#ZERO} means no limit
     * @return milliseconds for {@code setSoTimeout} or {@code connect}: at least 1 for a positive
     *         duration (so it never turns into "no limit"), at most {@link Integer#MAX_VALUE}
     */
    static int millis(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("negative time-out: " + timeout);
        }
        if (timeout.isZero()) {
            return 0;
        }
        if (timeout.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) >= 0) {
            return Integer.MAX_VALUE;
        }
        return (int) Math.max(1, timeout.toMillis());
    }
}
