package wormhole.api.spi.resume;

/**
 * When a receiver confirms what it took: after every 16 messages or 256 KiB, or within a second of
 * taking any, so the sender can forget them (and, where it waits on a window, send more). Not
 * thread-safe; times are {@link System#nanoTime()} values passed in.
 */
public final class ConfirmSchedule {
    /** Confirm after this many messages. */
    public static final int EVERY = 16;
    /** Or after this many bytes. */
    public static final long EVERY_BYTES = 256 * 1024;
    /** Or this long after the first message not yet confirmed. */
    public static final long DELAY_NANOS = 1_000_000_000L;

    private long taken;
    private long confirmed;
    private long bytesSinceConfirm;
    private long firstUnconfirmedAt;

    /** Creates a schedule with nothing taken. */
    public ConfirmSchedule() {
    }

    /**
     * One message was taken.
     *
     * @param bytes    its size
     * @param nowNanos the time
     */
    public void took(long bytes, long nowNanos) {
        if (taken == confirmed) {
            firstUnconfirmedAt = nowNanos;
        }
        taken++;
        bytesSinceConfirm += bytes;
    }

    /** @return how many messages were taken */
    public long taken() {
        return taken;
    }

    /**
     * @param nowNanos the time
     * @return whether a confirmation should go out now
     */
    public boolean due(long nowNanos) {
        return taken > confirmed && (taken - confirmed >= EVERY || bytesSinceConfirm >= EVERY_BYTES
                || nowNanos - firstUnconfirmedAt >= DELAY_NANOS);
    }

    /** @return the count to confirm, now counted as confirmed */
    public long confirm() {
        confirmed = taken;
        bytesSinceConfirm = 0;
        return taken;
    }
}
