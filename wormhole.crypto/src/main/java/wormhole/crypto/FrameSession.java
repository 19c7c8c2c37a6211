package wormhole.crypto;

import java.util.Arrays;
import java.util.Objects;

import javax.crypto.AEADBadTagException;

import wormhole.crypto.internal.AesGcm;
import wormhole.crypto.internal.NonceCounter;

/**
 * Seals outgoing and opens incoming frames with AES-256-GCM, each direction with its own key and its
 * own 96-bit big-endian counter nonce that starts at zero and never wraps. No caller handles a nonce.
 * Sealing and opening are each single-threaded: callers serialise their own direction.
 *
 * <p>The cipher is the JDK's GCM (SunJCE, AES-NI and carry-less-multiply intrinsics), chosen by
 * measurement ({@code wormhole.bench.CryptoBenchmark}, 2-core AMD EPYC shared with other work): warm
 * seal+open of 16 to 64 KiB frames ran at 1.9 to 2.2 GB/s on JDK 17 and 2.9 to 3.1 GB/s on JDK 25,
 * against 20 to 40 MB/s for bcprov's pure-Java GCM; in the first second of a fresh JVM both run
 * interpreted and the JDK was still no slower (about 20 MB/s against 0 to 18). Its weak spot is
 * large frames: 1 MiB frames stayed near 30 MB/s for more than 6 seconds (and 256 KiB ones sometimes
 * for 4) until the JIT compiled the bulk path, so streams should use 64 KiB chunks.
 */
public final class FrameSession implements AutoCloseable {
    /** Bytes the GCM tag adds to every frame. */
    public static final int TAG_LENGTH = 16;

    private final Direction sending;
    private final Direction receiving;
    private volatile boolean closed;

    private FrameSession(byte[] sendKey, byte[] receiveKey) {
        this.sending = new Direction(AesGcm.create(sendKey), new NonceCounter(0));
        this.receiving = new Direction(AesGcm.create(receiveKey), new NonceCounter(0));
    }

    /** A session with both counters at zero; copies both keys. */
    static FrameSession of(byte[] sendKey, byte[] receiveKey) {
        return new FrameSession(sendKey, receiveKey);
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
        Objects.checkFromIndexSize(offset, length, plaintext.length);
        byte[] frame = new byte[length + TAG_LENGTH];
        seal(plaintext, offset, length, frame, 0);
        return frame;
    }

    /**
     * Encrypts the next outgoing frame into a caller's buffer, for streaming without allocation.
     *
     * @param plaintext the array holding the bytes to seal
     * @param offset    where they start
     * @param length    how many
     * @param out       where the frame goes; must not overlap the plaintext
     * @param outOffset where in {@code out} it starts; {@code length + TAG_LENGTH} bytes are written
     * @return the number of bytes written, {@code length + TAG_LENGTH}
     * @throws CryptoException when the counter is exhausted or the session was closed
     */
    public int seal(byte[] plaintext, int offset, int length, byte[] out, int outOffset) throws CryptoException {
        Objects.checkFromIndexSize(offset, length, plaintext.length);
        Objects.checkFromIndexSize(outOffset, length + TAG_LENGTH, out.length);
        synchronized (sending) {
            checkOpen();
            if (sending.counter.isExhausted()) {
                throw new CryptoException("send counter exhausted: this session has sealed 2^64 frames and "
                        + "would have to reuse a nonce; start a new channel");
            }
            return sending.cipher.seal(sending.counter.next(), plaintext, offset, length, out, outOffset);
        }
    }

    /**
     * Decrypts the next incoming frame.
     *
     * @param frame ciphertext followed by the tag
     * @return the plaintext
     * @throws CryptoException when the frame fails to authenticate (tampered, replayed, wrong key)
     */
    public byte[] open(byte[] frame) throws CryptoException {
        return open(frame, 0, frame.length);
    }

    /**
     * Decrypts the next incoming frame from part of an array.
     *
     * @param frame  the array holding ciphertext followed by the tag
     * @param offset where the frame starts
     * @param length its length, at least {@link #TAG_LENGTH}
     * @return the plaintext
     * @throws CryptoException when the frame fails to authenticate (tampered, replayed, wrong key),
     *                         an earlier one did, or the session was closed
     */
    public byte[] open(byte[] frame, int offset, int length) throws CryptoException {
        Objects.checkFromIndexSize(offset, length, frame.length);
        byte[] plaintext = new byte[Math.max(0, length - TAG_LENGTH)];
        open(frame, offset, length, plaintext, 0);
        return plaintext;
    }

    /**
     * Decrypts the next incoming frame into a caller's buffer, for streaming without allocation.
     * Nothing is left in {@code out} when the frame fails to authenticate.
     *
     * @param frame     the array holding ciphertext followed by the tag
     * @param offset    where the frame starts
     * @param length    its length, at least {@link #TAG_LENGTH}
     * @param out       where the plaintext goes; must not overlap the frame
     * @param outOffset where in {@code out} it starts; {@code length - TAG_LENGTH} bytes are written
     * @return the number of plaintext bytes written
     * @throws CryptoException when the frame fails to authenticate, an earlier one did, or the
     *                         session was closed
     */
    public int open(byte[] frame, int offset, int length, byte[] out, int outOffset) throws CryptoException {
        Objects.checkFromIndexSize(offset, length, frame.length);
        synchronized (receiving) {
            checkOpen();
            if (receiving.failed) {
                throw new FrameAuthenticationException("an earlier frame failed to authenticate; this session "
                        + "opens no more frames");
            }
            if (length < TAG_LENGTH) {
                receiving.failed = true;
                throw new FrameAuthenticationException("frame of " + length + " bytes is shorter than the "
                        + TAG_LENGTH + "-byte tag");
            }
            Objects.checkFromIndexSize(outOffset, length - TAG_LENGTH, out.length);
            if (receiving.counter.isExhausted()) {
                throw new CryptoException("receive counter exhausted: the other side cannot have sealed "
                        + "more than 2^64 frames without reusing a nonce");
            }
            try {
                return receiving.cipher.open(receiving.counter.next(), frame, offset, length, out, outOffset);
            } catch (AEADBadTagException e) {
                receiving.failed = true;
                Arrays.fill(out, outOffset, outOffset + length - TAG_LENGTH, (byte) 0);
                throw new FrameAuthenticationException("frame failed to authenticate: tampered, replayed or "
                        + "out of order, or sealed with another key (wrong code?)");
            }
        }
    }

    /** @return whether {@link #close} has been called */
    public boolean isClosed() {
        return closed;
    }

    private void checkOpen() throws CryptoException {
        if (closed) {
            throw new CryptoException("session is closed");
        }
    }

    /**
     * Wipes both keys; later calls fail. Our own copies of the key bytes are overwritten; the
     * copies inside the JDK's key object and Cipher cannot be reached and are only released to
     * the garbage collector (see {@code JdkAesGcm#destroy}).
     */
    @Override
    public void close() {
        closed = true;
        synchronized (sending) {
            sending.cipher.destroy();
        }
        synchronized (receiving) {
            receiving.cipher.destroy();
        }
    }

    /** One direction's cipher, counter and failure flag, guarded by its own monitor. */
    private static final class Direction {
        final AesGcm cipher;
        final NonceCounter counter;
        boolean failed;

        Direction(AesGcm cipher, NonceCounter counter) {
            this.cipher = cipher;
            this.counter = counter;
        }
    }
}
