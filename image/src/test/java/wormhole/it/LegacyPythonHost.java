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
 * A host scripted the way agent-wormhole 0.1.x (Python) behaves on a relay: it joins with the legacy
 * three-word code as the channel id, sends its SPAKE2 message at once, one frame per binary message,
 * and the version message {@code {"version": 1, "role": "host"}} with no features. It speaks only
 * through the crypto module's public API, so it checks our peer against the wire, not against our
 * engine.
 */
final class LegacyPythonHost extends WebSocketClient {
    private static final Object CLOSED = new Object();

    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final String code;
    private Spake2 spake;
    private SharedSecret secret;
    private FrameSession session;

    private LegacyPythonHost(URI uri, String code) {
        super(uri);
        this.code = code;
    }

    /** Connects to the relay's {@code /ws} and sends the Python join, then its SPAKE2 message. */
    static LegacyPythonHost join(int relayPort, String code) throws InterruptedException {
        LegacyPythonHost h = new LegacyPythonHost(URI.create("ws://127.0.0.1:" + relayPort + "/ws"), code);
        if (!h.connectBlocking(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the scripted Python host could not reach the relay");
        }
        h.send("{\"action\": \"join\", \"code\": \"" + code + "\", \"role\": \"host\"}");
        h.spake = Spake2.start(Side.HOST, code.getBytes(StandardCharsets.UTF_8), new SecureRandom());
        h.send(h.spake.outboundMessage());
        return h;
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
        // nothing to do: the join is sent by join()
    }

    @Override
    public void onMessage(String message) {
        inbox.add(message);
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
        inbox.add("onError: " + ex);
    }

    private Object next(Duration limit) throws InterruptedException {
        Object o = inbox.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (o == null) {
            throw new AssertionError("the scripted Python host got nothing within " + limit);
        }
        return o;
    }

    /** @return the next message, which must be a relay text message, exactly as sent */
    String nextText(Duration limit) throws InterruptedException {
        Object o = next(limit);
        if (!(o instanceof String s)) {
            throw new AssertionError("expected a text message, got " + describe(o));
        }
        return s;
    }

    private byte[] nextBinary(Duration limit) throws InterruptedException {
        Object o = next(limit);
        if (!(o instanceof byte[] b)) {
            throw new AssertionError("expected a binary message, got " + describe(o));
        }
        return b;
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

    private static String describe(Object o) {
        return o == CLOSED ? "the close of the connection" : o instanceof byte[] b ? b.length + " bytes" : o.toString();
    }

    /**
     * Reads the peer's SPAKE2 message, derives the session, sends the Python version message and
     * reads the peer's.
     *
     * @return the peer's version message, decrypted
     */
    String handshake(Duration limit) throws InterruptedException, CryptoException {
        secret = spake.finish(nextBinary(limit));
        session = secret.sessionFor(Side.HOST);
        sendSealed("{\"version\": 1, \"role\": \"host\"}");
        return receiveSealed(limit);
    }

    /** @return the verifier both ends must show */
    String verifier() {
        return secret.verifier();
    }

    void sendSealed(String json) throws CryptoException {
        send(session.seal(json.getBytes(StandardCharsets.UTF_8)));
    }

    String receiveSealed(Duration limit) throws InterruptedException, CryptoException {
        return new String(session.open(nextBinary(limit)), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "LegacyPythonHost[" + code.length() + " chars]";
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
