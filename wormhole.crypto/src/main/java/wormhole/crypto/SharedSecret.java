package wormhole.crypto;

import java.math.BigInteger;
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
    private static final int VERIFIER_DIGITS = 16;

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

    /**
     * The key with which {@code prover} proves, on a new connection of a resumable link, that it
     * holds this session: HKDF-SHA256 of the secret, no salt, info {@code agent-wormhole resume v1
     * host} or {@code ... peer}, 32 bytes. It is never a frame key and is used only in HMACs over
     * fresh nonces, so a proof reveals nothing of the session.
     *
     * @param prover the side that proves with it
     * @return a new 32-byte key, the caller's to wipe
     */
    public byte[] resumeKey(Side prover) {
        Objects.requireNonNull(prover, "prover");
        String info = "agent-wormhole resume v1 " + (prover == Side.HOST ? "host" : "peer");
        return directionKey(info.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The key with which {@code prover} proves, on a direct connection opened to upgrade a channel
     * that met through a relay, that it holds this session: HKDF-SHA256 of the secret, no salt, info
     * {@code agent-wormhole upgrade v1 host} or {@code ... peer}, 32 bytes. Like {@link #resumeKey},
     * it is never a frame key and is used only in HMACs over fresh nonces.
     *
     * @param prover the side that proves with it
     * @return a new 32-byte key, the caller's to wipe
     */
    public byte[] upgradeKey(Side prover) {
        Objects.requireNonNull(prover, "prover");
        String info = "agent-wormhole upgrade v1 " + (prover == Side.HOST ? "host" : "peer");
        return directionKey(info.getBytes(StandardCharsets.US_ASCII));
    }

    /** The direction key for an HKDF info string; package-private so tests can check the vectors. */
    synchronized byte[] directionKey(byte[] info) {
        checkOpen();
        return Hkdf.sha256(secret, info, 32);
    }

    /**
     * A short string both ends derive alike, for people who want to compare out of band that no one
     * sat in the middle: sixteen decimal digits in four groups of four, e.g.
     * {@code 0412 9957 3080 1166}. It is HKDF-SHA256 of the secret (no salt, info
     * {@code agent-wormhole verifier v1}, 10 bytes) read big-endian, mod 10^16, so it carries about
     * 53 bits. A man in the middle must first guess the code; even then his two exchanges give two
     * different secrets, and making their verifiers collide costs him about 2^26 handshakes of
     * grinding while both ends wait.
     *
     * @return the verifier, e.g. {@code 0412 9957 3080 1166}
     */
    public synchronized String verifier() {
        checkOpen();
        byte[] okm = Hkdf.sha256(secret, VERIFIER_INFO, 10);
        String digits = new BigInteger(1, okm).mod(BigInteger.TEN.pow(VERIFIER_DIGITS)).toString();
        Arrays.fill(okm, (byte) 0);
        String padded = "0".repeat(VERIFIER_DIGITS - digits.length()) + digits;
        StringBuilder out = new StringBuilder(VERIFIER_DIGITS + VERIFIER_DIGITS / 4);
        for (int i = 0; i < VERIFIER_DIGITS; i += 4) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(padded, i, i + 4);
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
