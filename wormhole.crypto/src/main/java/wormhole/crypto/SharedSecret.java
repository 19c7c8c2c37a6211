package wormhole.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import wormhole.crypto.internal.Hkdf;

/**
 * The 32-byte SPAKE2 result. It derives the frame session of one side and the verifier string, and
 * can be wiped once they are made.
 */
public final class SharedSecret implements AutoCloseable {
    /** Bytes in the secret. */
    static final int LENGTH = 32;
    private static final byte[] HOST_TO_PEER = "host-to-peer".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PEER_TO_HOST = "peer-to-host".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VERIFIER_INFO = "agent-wormhole verifier v1".getBytes(StandardCharsets.US_ASCII);
    private static final int VERIFIER_DIGITS = 12;

    private final byte[] secret;
    private boolean closed;

    /** Takes ownership of {@code secret} (not copied) and wipes it on close. */
    SharedSecret(byte[] secret) {
        if (secret.length != LENGTH) {
            throw new IllegalArgumentException("shared secret must be " + LENGTH + " bytes");
        }
        this.secret = secret;
    }

    /**
     * Derives the two direction keys (HKDF-SHA256, no salt, info {@code host-to-peer} and
     * {@code peer-to-host}) and returns the session that seals and opens frames for {@code side}.
     *
     * @param side which side this process is
     * @return a new session with both counters at zero
     */
    public FrameSession sessionFor(Side side) {
        Objects.requireNonNull(side, "side");
        byte[] hostToPeer = directionKey(HOST_TO_PEER);
        byte[] peerToHost = directionKey(PEER_TO_HOST);
        try {
            return side == Side.HOST
                    ? FrameSession.of(hostToPeer, peerToHost)
                    : FrameSession.of(peerToHost, hostToPeer);
        } finally {
            Arrays.fill(hostToPeer, (byte) 0);
            Arrays.fill(peerToHost, (byte) 0);
        }
    }

    /** The direction key for an HKDF info string; package-private so tests can check the vectors. */
    synchronized byte[] directionKey(byte[] info) {
        checkOpen();
        return Hkdf.sha256(secret, info, 32);
    }

    /**
     * A short string both ends derive alike, for people who want to compare out of band that no one
     * sat in the middle: twelve decimal digits in three groups of four, e.g. {@code 0412 9957 3080}.
     * It is HKDF-SHA256 of the secret (no salt, info {@code agent-wormhole verifier v1}, 8 bytes)
     * read big-endian as an unsigned number, mod 10^12: about 39.9 bits, since each side's secret is
     * fixed before anyone sees the verifier, an attacker in the middle cannot search for a match.
     *
     * @return the verifier, e.g. {@code 0412 9957 3080}
     */
    public synchronized String verifier() {
        checkOpen();
        byte[] okm = Hkdf.sha256(secret, VERIFIER_INFO, 8);
        long value = 0;
        for (byte b : okm) {
            value = (value << 8) | (b & 0xFF);
        }
        Arrays.fill(okm, (byte) 0);
        String digits = String.format("%012d", Long.remainderUnsigned(value, 1_000_000_000_000L));
        StringBuilder out = new StringBuilder(VERIFIER_DIGITS + 2);
        for (int i = 0; i < VERIFIER_DIGITS; i += 4) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(digits, i, i + 4);
        }
        return out.toString();
    }

    /** A copy of the secret bytes, for the known-answer tests. */
    synchronized byte[] bytes() {
        checkOpen();
        return secret.clone();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("shared secret was closed and wiped");
        }
    }

    /** Overwrites the secret bytes. */
    @Override
    public synchronized void close() {
        closed = true;
        Arrays.fill(secret, (byte) 0);
    }
}
