package wormhole.transport.direct;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import wormhole.api.spi.ConnectionProofs;
import wormhole.api.spi.OpeningCheck;

/**
 * The exchange that opens a new connection for a resuming direct link (docs/PROTOCOL.md 3.2). Four
 * frames, each length-prefixed as usual:
 *
 * <ol>
 *   <li>peer to host, the request: {@code AWRESUME}, the version byte 1, and the peer's 32-byte nonce;
 *   <li>host to peer, the challenge: the host's 32-byte nonce;
 *   <li>peer to host: how many frames the peer has received (8 bytes, big-endian), and
 *       HMAC-SHA256(peer key, {@code "agent-wormhole resume peer"} ‖ host nonce ‖ peer nonce ‖ count);
 *   <li>host to peer, only if that proof is right: the host's count, and
 *       HMAC-SHA256(host key, {@code "agent-wormhole resume host"} ‖ peer nonce ‖ host nonce ‖ count).
 * </ol>
 *
 * Nothing secret goes in clear: the nonces are fresh on both sides, so a proof cannot be replayed,
 * and the keys (derived from the session, one per role) are used for nothing else. A host that gets
 * a wrong proof just closes that connection; the channel is untouched.
 */
final class ResumeProof {
    static final byte[] MAGIC = "AWRESUME".getBytes(StandardCharsets.US_ASCII);
    static final byte VERSION = 1;
    static final int NONCE = 32;
    static final int REQUEST_LENGTH = MAGIC.length + 1 + NONCE;
    static final int PROOF_LENGTH = 8 + 32;
    private static final byte[] PEER_LABEL = "agent-wormhole resume peer".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HOST_LABEL = "agent-wormhole resume host".getBytes(StandardCharsets.US_ASCII);

    /** What a host's listener accepts as a first frame once the link resumes. */
    static final OpeningCheck REQUEST = new OpeningCheck() {
        @Override
        public int maxLength() {
            return REQUEST_LENGTH;
        }

        @Override
        public boolean accepts(byte[] frame) {
            return frame.length == REQUEST_LENGTH && Arrays.equals(frame, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
                    && frame[MAGIC.length] == VERSION;
        }
    };

    /** The other end failed to prove that it holds the session. */
    static final class RefusedException extends IOException {
        private static final long serialVersionUID = 1L;

        RefusedException(String message) {
            super(message);
        }
    }

    private ResumeProof() {
    }

    /**
     * The host's side, after the request passed {@link #REQUEST}: challenges, checks the proof.
     *
     * @param socket   the new connection
     * @param request  the request frame
     * @param peerKey  the key the peer proves with
     * @param deadline when the exchange must be done, as {@link System#nanoTime()}
     * @return the host's half: the peer's count, and how to answer once the host's own count is known
     * @throws RefusedException when the proof is wrong
     * @throws IOException      when the connection failed or stalled
     */
    static HostSide challenge(Socket socket, byte[] request, byte[] peerKey, long deadline, SecureRandom random)
            throws IOException {
        byte[] peerNonce = Arrays.copyOfRange(request, MAGIC.length + 1, REQUEST_LENGTH);
        byte[] hostNonce = new byte[NONCE];
        random.nextBytes(hostNonce);
        write(socket, hostNonce);
        byte[] proof = read(socket, PROOF_LENGTH, deadline);
        long peerReceived = ByteBuffer.wrap(proof).getLong();
        byte[] expected = mac(peerKey, PEER_LABEL, hostNonce, peerNonce, peerReceived);
        if (peerReceived < 0 || !MessageDigest.isEqual(expected, Arrays.copyOfRange(proof, 8, PROOF_LENGTH))) {
            throw new RefusedException("a resume request with a wrong proof");
        }
        return new HostSide(socket, peerNonce, hostNonce, peerReceived);
    }

    /**
     * A host that has checked the peer's proof.
     *
     * @param peerReceived how many frames the peer has received
     */
    record HostSide(Socket socket, byte[] peerNonce, byte[] hostNonce, long peerReceived) {
        /** Sends the host's own proof with its count. */
        void answer(byte[] hostKey, long hostReceived) throws IOException {
            write(socket, ByteBuffer.allocate(PROOF_LENGTH).putLong(hostReceived)
                    .put(mac(hostKey, HOST_LABEL, peerNonce, hostNonce, hostReceived)).array());
        }
    }

    /**
     * The peer's side on a fresh connection: requests, proves, and checks the host's proof.
     *
     * @param received how many frames the peer has received
     * @return how many frames the host has received
     * @throws RefusedException when the host's proof is wrong (someone else holds the port)
     */
    static long request(Socket socket, byte[] peerKey, byte[] hostKey, long received, long deadline,
            SecureRandom random) throws IOException {
        byte[] peerNonce = new byte[NONCE];
        random.nextBytes(peerNonce);
        write(socket, ByteBuffer.allocate(REQUEST_LENGTH).put(MAGIC).put(VERSION).put(peerNonce).array());
        byte[] hostNonce = read(socket, NONCE, deadline);
        write(socket, ByteBuffer.allocate(PROOF_LENGTH).putLong(received)
                .put(mac(peerKey, PEER_LABEL, hostNonce, peerNonce, received)).array());
        byte[] answer = read(socket, PROOF_LENGTH, deadline);
        long hostReceived = ByteBuffer.wrap(answer).getLong();
        byte[] expected = mac(hostKey, HOST_LABEL, peerNonce, hostNonce, hostReceived);
        if (hostReceived < 0 || !MessageDigest.isEqual(expected, Arrays.copyOfRange(answer, 8, PROOF_LENGTH))) {
            throw new RefusedException("the host's resume proof is wrong: whatever answers on that port is not our host");
        }
        return hostReceived;
    }

    private static byte[] mac(byte[] key, byte[] label, byte[] first, byte[] second, long count) {
        return ConnectionProofs.mac(key, label, first, second, ByteBuffer.allocate(8).putLong(count).array());
    }

    private static void write(Socket socket, byte[] frame) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(ByteBuffer.allocate(4 + frame.length).putInt(frame.length).put(frame).array());
        out.flush();
    }

    /** Reads one frame of exactly {@code length} bytes before the deadline. */
    private static byte[] read(Socket socket, int length, long deadline) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] prefix = new byte[4];
        if (!Doorway.readFully(socket, in, prefix, deadline)) {
            throw new IOException("the resume exchange broke off or ran out of time");
        }
        if (ByteBuffer.wrap(prefix).getInt() != length) {
            throw new RefusedException("a resume message of the wrong length");
        }
        byte[] frame = new byte[length];
        if (!Doorway.readFully(socket, in, frame, deadline)) {
            throw new IOException("the resume exchange broke off or ran out of time");
        }
        return frame;
    }
}
