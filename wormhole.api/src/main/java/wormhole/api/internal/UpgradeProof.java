package wormhole.api.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import wormhole.api.spi.ConnectionProofs;
import wormhole.api.spi.FrameLink;

/**
 * The proof, on a new direct connection, that the other end holds this channel's session (feature
 * {@code upgrade}, docs/PROTOCOL.md 3.3): fresh nonces both ways and an HMAC-SHA256 each way under
 * the prover's upgrade key, never a frame key, so nothing secret travels in clear, no proof can be
 * replayed, and a third party learns a random nonce and nothing else. The dialer proves first; the
 * listener answers only a right proof.
 */
final class UpgradeProof {
    static final byte[] MAGIC = "AWUPGRADE".getBytes(StandardCharsets.US_ASCII);
    static final byte VERSION = 1;
    static final int NONCE = 32;
    /** The host's choice of the connection that carries the frames, the frame after the proofs. */
    static final byte[] SELECT = {'S'};
    private static final byte[] DIALER = "agent-wormhole upgrade dialer".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LISTENER = "agent-wormhole upgrade listener".getBytes(StandardCharsets.US_ASCII);

    private final byte[] ourKey;
    private final byte[] theirKey;
    private final SecureRandom random;

    /**
     * @param ourKey   the key this end proves with (copied)
     * @param theirKey the key the other end proves with (copied)
     */
    UpgradeProof(byte[] ourKey, byte[] theirKey, SecureRandom random) {
        this.ourKey = ourKey.clone();
        this.theirKey = theirKey.clone();
        this.random = random;
    }

    /** As the end that connected: asks, proves, and checks the answer. */
    void dial(FrameLink link) throws IOException {
        byte[] nd = nonce();
        byte[] request = new byte[MAGIC.length + 1 + NONCE];
        System.arraycopy(MAGIC, 0, request, 0, MAGIC.length);
        request[MAGIC.length] = VERSION;
        System.arraycopy(nd, 0, request, MAGIC.length + 1, NONCE);
        link.send(request);
        byte[] nl = exactly(link.receive(), NONCE, "challenge");
        link.send(ConnectionProofs.mac(ourKey, DIALER, nl, nd));
        byte[] answer = exactly(link.receive(), 32, "answer");
        if (!MessageDigest.isEqual(answer, ConnectionProofs.mac(theirKey, LISTENER, nd, nl))) {
            throw new IOException("the answer on a direct connection is not our peer's");
        }
    }

    /** As the end that listened: challenges, checks the proof, and answers only a right one. */
    void answer(FrameLink link) throws IOException {
        byte[] request = link.receive();
        if (request.length != MAGIC.length + 1 + NONCE
                || !Arrays.equals(request, 0, MAGIC.length, MAGIC, 0, MAGIC.length) || request[MAGIC.length] != VERSION) {
            throw new IOException("not an upgrade request");
        }
        byte[] nd = Arrays.copyOfRange(request, MAGIC.length + 1, request.length);
        byte[] nl = nonce();
        link.send(nl.clone());
        byte[] proof = exactly(link.receive(), 32, "proof");
        if (!MessageDigest.isEqual(proof, ConnectionProofs.mac(theirKey, DIALER, nl, nd))) {
            throw new IOException("a wrong proof on a direct connection");
        }
        link.send(ConnectionProofs.mac(ourKey, LISTENER, nd, nl));
    }

    /** Overwrites both keys. */
    void wipe() {
        Arrays.fill(ourKey, (byte) 0);
        Arrays.fill(theirKey, (byte) 0);
    }

    private byte[] nonce() {
        byte[] n = new byte[NONCE];
        random.nextBytes(n);
        return n;
    }

    private static byte[] exactly(byte[] frame, int length, String what) throws IOException {
        if (frame.length != length) {
            throw new IOException("a malformed " + what + " on a direct connection");
        }
        return frame;
    }
}
