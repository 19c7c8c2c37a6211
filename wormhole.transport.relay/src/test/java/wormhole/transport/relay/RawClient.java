package wormhole.transport.relay;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/** A hand-driven WebSocket client that speaks to the relay as a Python 0.1.x client does. */
final class RawClient extends WebSocketClient {
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();

    private RawClient(URI uri) {
        super(uri);
    }

    static RawClient pythonJoin(int port, String code, String role) throws InterruptedException {
        RawClient c = new RawClient(URI.create("ws://127.0.0.1:" + port + "/ws"));
        assertTrue(c.connectBlocking(5, TimeUnit.SECONDS));
        c.send("{\"action\":\"join\",\"code\":\"" + code + "\",\"role\":\"" + role + "\"}");
        return c;
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
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
    public void onClose(int code, String reason, boolean remote) {
    }

    @Override
    public void onError(Exception ex) {
    }

    Object next() throws InterruptedException {
        Object o = inbox.poll(5, TimeUnit.SECONDS);
        assertNotNull(o, "nothing from the relay within 5 s");
        return o;
    }

    String text() throws InterruptedException {
        Object o = next();
        assertTrue(o instanceof String, "expected text, got " + o);
        return (String) o;
    }

    byte[] binary() throws InterruptedException {
        Object o = next();
        assertTrue(o instanceof byte[], "expected a binary message, got " + o);
        return (byte[]) o;
    }
}
