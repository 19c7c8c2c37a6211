package wormhole.it;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A relay on 127.0.0.1 that answers each client's join with a script, whatever the rules say: for
 * ends that must cope with a relay that misbehaves.
 */
final class ScriptedRelay extends WebSocketServer implements AutoCloseable {
    private final Consumer<WebSocket> script;
    private final CountDownLatch started = new CountDownLatch(1);

    /** Starts the relay; {@code script} runs on the relay's thread when a join arrives. */
    ScriptedRelay(Consumer<WebSocket> script) throws InterruptedException {
        super(new InetSocketAddress("127.0.0.1", 0));
        this.script = script;
        setReuseAddr(true);
        start();
        if (!started.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the scripted relay did not start");
        }
    }

    String url() {
        return "ws://127.0.0.1:" + getPort();
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        if (message.contains("\"join\"")) {
            script.accept(conn);
        }
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    @Override
    public void close() {
        try {
            stop(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
