package wormhole.api.internal;

import java.security.SecureRandom;

/**
 * A deterministic {@link SecureRandom} for known-answer tests: it hands out the given bytes first
 * (the engine draws its 64 SPAKE2 bytes before anything else), then a fixed counting sequence.
 */
final class FixedEntropyRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;

    private final byte[] first;
    private int position;
    private long counter;

    FixedEntropyRandom(byte[] first) {
        this.first = first.clone();
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = position < first.length ? first[position++] : (byte) (counter++ * 37 + 11);
        }
    }
}
