package wormhole.crypto;

/**
 * Seals outgoing and opens incoming frames with AES-256-GCM, each direction with its own key and its
 * own 96-bit big-endian counter nonce that starts at zero and never wraps. No caller handles a nonce.
 * Sealing and opening are each single-threaded: callers serialise their own direction.
 */
public final class FrameSession implements AutoCloseable {
    /** Bytes the GCM tag adds to every frame. */
    public static final int TAG_LENGTH = 16;

    private FrameSession() {
    }

    /**
     * Encrypts the next outgoing frame.
     *
     * @param plaintext the bytes to seal
     * @return ciphertext followed by the 16-byte tag
     * @throws CryptoException when the counter is exhausted or the session was closed
     */
    public byte[] seal(byte[] plaintext) throws CryptoException {
        return seal(plaintext, 0, plaintext.length);
    }

    /**
     * Encrypts the next outgoing frame from part of an array.
     *
     * @param plaintext the array holding the bytes to seal
     * @param offset    where they start
     * @param length    how many
     * @return ciphertext followed by the 16-byte tag
     * @throws CryptoException when the counter is exhausted or the session was closed
     */
    public byte[] seal(byte[] plaintext, int offset, int length) throws CryptoException {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Decrypts the next incoming frame.
     *
     * @param frame ciphertext followed by the tag
     * @return the plaintext
     * @throws CryptoException when the frame fails to authenticate (tampered, replayed, wrong key)
     */
    public byte[] open(byte[] frame) throws CryptoException {
        throw new UnsupportedOperationException("not yet");
    }

    /** Wipes both keys; later calls fail. */
    @Override
    public void close() {
    }
}
