package wormhole.it;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import wormhole.crypto.CryptoException;
import wormhole.crypto.FrameSession;
import wormhole.crypto.SharedSecret;
import wormhole.crypto.Side;
import wormhole.crypto.Spake2;

/**
 * One end scripted byte for byte as agent-wormhole 0.1.5 (Python, websockets 13 or newer) behaves on
 * a relay. It sends the Python join, takes the first message as the join's status, and, unless that
 * is an error, sends its SPAKE2 message at once. From then on every message, text or binary, is a
 * frame: Python reads with {@code recv(decode=False)}, which returns text messages as bytes too, so
 * a relay's status message after the join is taken for the peer's SPAKE2 message (and refused as
 * python-spake2 refuses it) or for an encrypted frame (which fails to decrypt). It speaks only
 * through the crypto module's public API, so it checks our ends against the wire, not against our
 * engine.
 */
abstract class LegacyPythonEnd extends WebSocketClient {
    /** python-spake2's refusal of a message that does not start with its side byte, A or B. */
    static final String UNKNOWN_SIDE = "I don't know what side they're on";

    private static final Object CLOSED = new Object();

    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final String code;
    private final Side side;
    private String joinStatus;
    private Spake2 spake;
    private SharedSecret secret;
    private FrameSession session;

    /** The handshake failed where Python's would: the message is python-spake2's or ours. */
    static final class HandshakeFailed extends Exception {
        private static final long serialVersionUID = 1L;

        HandshakeFailed(String message) {
            super(message);
        }
    }

    LegacyPythonEnd(int relayPort, String code, Side side) {
        super(URI.create("ws://127.0.0.1:" + relayPort + "/ws"));
        this.code = code;
        this.side = side;
    }

    private String role() {
        return side == Side.HOST ? "host" : "peer";
    }

    /**
     * Connects to the relay's {@code /ws}, sends the Python join, reads the join's status (the first
     * message, text or not) and, unless it is an error, sends the SPAKE2 message, as Python does.
     */
    final void open(Duration limit) throws InterruptedException {
        if (!connectBlocking(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the scripted Python " + role() + " could not reach the relay");
        }
        send("{\"action\": \"join\", \"code\": \"" + code + "\", \"role\": \"" + role() + "\"}");
        joinStatus = new String(nextMessage(limit), StandardCharsets.UTF_8);
        if (Json.parse(joinStatus).path("type").asText().equals("error")) {
            return; // Python raises "Relay rejected join" and sends nothing
        }
        spake = Spake2.start(side, code.getBytes(StandardCharsets.UTF_8), new SecureRandom());
        send(spake.outboundMessage());
    }

    /** @return the relay's answer to the join, exactly as received */
    String joinStatus() {
        return joinStatus;
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
        // the join is sent by open()
    }

    @Override
    public void onMessage(String message) {
        inbox.add(message.getBytes(StandardCharsets.UTF_8)); // recv(decode=False): bytes either way
    }

    @Override
    public void onMessage(ByteBuffer bytes) {
        byte[] b = new byte[bytes.remaining()];
        bytes.get(b);
        inbox.add(b);
    }

    @Override
    public void onClose(int status, String reason, boolean remote) {
        inbox.add(CLOSED);
    }

    @Override
    public void onError(Exception ex) {
        // onClose follows
    }

    private byte[] nextMessage(Duration limit) throws InterruptedException {
        Object o = inbox.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (o == null) {
            throw new AssertionError("the scripted Python " + role() + " got nothing within " + limit);
        }
        if (o == CLOSED) {
            throw new AssertionError("the relay closed the scripted Python " + role() + "'s connection");
        }
        return (byte[]) o;
    }

    /** @return the next message after the join's status: to Python, a frame, whatever it is */
    byte[] nextFrame(Duration limit) throws InterruptedException {
        return nextMessage(limit);
    }

    /**
     * Reads the other end's SPAKE2 message (the next frame), derives the session, sends the Python
     * version message and reads the other end's.
     *
     * @return the other end's version message, decrypted
     * @throws HandshakeFailed as Python's handshake fails: python-spake2's refusal of the first frame,
     *                         a version frame that does not decrypt, a version other than 1
     */
    String handshake(Duration limit) throws InterruptedException, HandshakeFailed {
        byte[] theirs = nextFrame(limit);
        byte ours = side == Side.HOST ? (byte) 'A' : (byte) 'B';
        if (theirs.length == 0 || theirs[0] != 'A' && theirs[0] != 'B') {
            throw new HandshakeFailed(UNKNOWN_SIDE);
        }
        if (theirs[0] == ours) {
            char s = (char) ours;
            throw new HandshakeFailed("I'm " + s + ", but I got a message from " + s + " (not " + (s == 'A' ? 'B' : 'A') + ").");
        }
        try {
            secret = spake.finish(theirs);
            session = secret.sessionFor(side);
            sendSealed("{\"version\": 1, \"role\": \"" + role() + "\"}");
            String version = receiveSealed(limit);
            if (Json.parse(version).path("version").asInt() != 1) {
                throw new HandshakeFailed("Incompatible protocol version: " + version);
            }
            return version;
        } catch (CryptoException e) {
            throw new HandshakeFailed(e.getMessage());
        }
    }

    /** @return the verifier both ends must show */
    String verifier() {
        return secret.verifier();
    }

    void sendSealed(String json) throws CryptoException {
        send(session.seal(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** @return the next frame, decrypted; a relay's text message fails here, as in Python */
    String receiveSealed(Duration limit) throws InterruptedException, CryptoException {
        return new String(session.open(nextFrame(limit)), StandardCharsets.UTF_8);
    }

    /** @return whether the relay closed the connection within the limit, after any other messages */
    boolean awaitClosed(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            Object o = inbox.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            if (o == CLOSED) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + code.length() + " chars]";
    }

    /** Closes the WebSocket and wipes the keys. */
    void shutdown() {
        close();
        if (session != null) {
            session.close();
        }
        if (secret != null) {
            secret.close();
        }
    }
}
