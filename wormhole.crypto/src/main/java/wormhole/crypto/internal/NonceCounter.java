package wormhole.crypto.internal;

/**
 * One direction's GCM nonce: a 96-bit big-endian counter that starts at zero. The counter is kept
 * as an unsigned 64-bit value (the top four nonce bytes stay zero); each value is handed out once
 * and the counter refuses to go past 2^64 - 1 rather than wrap to a nonce already used.
 */
public final class NonceCounter {
    private long next;
    private boolean exhausted;

    /**
     * @param first the first counter value (0 in a session)
     */
    public NonceCounter(long first) {
        this.next = first;
    }

    /**
     * Hands out the next nonce and advances.
     *
     * @return a new 12-byte nonce
     * @throws IllegalStateException when every counter value has been used
     */
    public byte[] next() {
        if (exhausted) {
            throw new IllegalStateException("nonce counter exhausted");
        }
        byte[] nonce = new byte[AesGcm.NONCE_LENGTH];
        long value = next;
        for (int i = 11; i >= 4; i--) {
            nonce[i] = (byte) value;
            value >>>= 8;
        }
        if (next == -1L) {
            exhausted = true;
        } else {
            next++;
        }
        return nonce;
    }

    /** @return whether {@link #next} would refuse */
    public boolean isExhausted() {
        return exhausted;
    }
}
