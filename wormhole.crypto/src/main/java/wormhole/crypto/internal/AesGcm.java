package wormhole.crypto.internal;

import javax.crypto.AEADBadTagException;

/**
 * One AES-256-GCM key with a 16-byte tag and no associated data; the caller supplies a fresh
 * 12-byte nonce for every call. {@link JdkAesGcm} (SunJCE) is the one the frame session uses
 * ({@link #create}); the tests hold a bcprov one beside it to check both against the vectors.
 */
public interface AesGcm {
    /** Bytes the tag adds. */
    int TAG_LENGTH = 16;
    /** Bytes in a nonce. */
    int NONCE_LENGTH = 12;

    /**
     * The implementation frame sessions use: the JDK's (SunJCE) GCM, which beat bcprov's by two
     * orders of magnitude warm and was ahead cold too (figures in {@code FrameSession}'s Javadoc,
     * produced by {@code wormhole.bench.CryptoBenchmark}).
     *
     * @param key the 32-byte key (copied)
     * @return a new cipher for that key
     */
    static AesGcm create(byte[] key) {
        return new JdkAesGcm(key);
    }

    /**
     * Encrypts and appends the tag.
     *
     * @return bytes written to {@code out}: {@code length + TAG_LENGTH}
     */
    int seal(byte[] nonce, byte[] in, int offset, int length, byte[] out, int outOffset);

    /**
     * Checks the tag and decrypts; writes nothing to {@code out} when the tag is wrong.
     *
     * @return bytes written to {@code out}: {@code length - TAG_LENGTH}
     * @throws AEADBadTagException when the frame does not authenticate under this key and nonce
     */
    int open(byte[] nonce, byte[] in, int offset, int length, byte[] out, int outOffset)
            throws AEADBadTagException;

    /** Overwrites what key material this object can reach and makes it unusable. */
    void destroy();
}
