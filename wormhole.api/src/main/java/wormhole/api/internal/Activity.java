package wormhole.api.internal;

/**
 * The channel's two clocks: when a real item last went either way (texts, files, streams and their
 * chunks, a goodbye), for the inactivity time-out, and when any frame was last sent, for keepalives.
 * Pings and receipts move only the second, so a channel nobody uses still times out. Written by the
 * channel thread and by every sending thread, read by the timer thread.
 */
final class Activity {
    private volatile long lastActivityNanos = System.nanoTime();
    private volatile long lastSentNanos = System.nanoTime();

    /** A real item went one way or the other. */
    void touch() {
        lastActivityNanos = System.nanoTime();
    }

    /** @param item whether the frame just sent belongs to a real item (not a ping or a receipt) */
    void sent(boolean item) {
        lastSentNanos = System.nanoTime();
        if (item) {
            touch();
        }
    }

    /** @return nanoseconds since the last real item */
    long idleNanos() {
        return System.nanoTime() - lastActivityNanos;
    }

    /** @return nanoseconds since the last frame sent */
    long quietNanos() {
        return System.nanoTime() - lastSentNanos;
    }
}
