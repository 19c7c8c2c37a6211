package wormhole.crypto;

/**
 * The 32-byte SPAKE2 result. It derives the frame session of one side and the verifier string, and
 * can be wiped once they are made.
 */
public final class SharedSecret implements AutoCloseable {
    private SharedSecret() {
    }

    /**
     * Derives the two direction keys (HKDF-SHA256, no salt, info {@code host-to-peer} and
     * {@code peer-to-host}) and returns the session that seals and opens frames for {@code side}.
     *
     * @param side which side this process is
     * @return a new session with both counters at zero
     */
    public FrameSession sessionFor(Side side) {
        throw new UnsupportedOperationException("not yet");
    }

    /** @return a short string both ends derive alike, for people to compare out of band */
    public String verifier() {
        throw new UnsupportedOperationException("not yet");
    }

    /** Overwrites the secret bytes. */
    @Override
    public void close() {
    }
}
