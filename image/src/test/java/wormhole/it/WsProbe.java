package wormhole.it;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * A bare WebSocket client of the relay protocol for tests that need many channels or raw joins:
 * every text and binary message it receives, in order, and the close.
 */
final class WsProbe extends WebSocketClient implements AutoCloseable {
    /** A message received: text, or binary (then {@code text} is null). */
    record Message(String text, byte[] binary) {
    }

    private final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    /** Every text message received, for failure messages. */
    final List<String> texts = new CopyOnWriteArrayList<>();
    volatile boolean closed;

    private WsProbe(URI uri) {
        super(uri);
    }

    /** Connects to the relay's {@code /ws} at {@code port} of 127.0.0.1. */
    static WsProbe open(int port) throws InterruptedException {
        WsProbe p = new WsProbe(URI.create("ws://127.0.0.1:" + port + "/ws"));
        if (!p.connectBlocking(10, TimeUnit.SECONDS)) {
            throw new AssertionError("could not connect to the relay at port " + port);
        }
        return p;
    }

    /** @return the next text message, skipping nothing; fails after the time-out */
    String nextText(long seconds) throws InterruptedException {
        Message m = next(seconds);
        if (m.text == null) {
            throw new AssertionError("a binary message where text was expected");
        }
        return m.text;
    }

    Message next(long seconds) throws InterruptedException {
        Message m = received.poll(seconds, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("nothing from the relay within " + seconds + " s (closed: " + closed + ")");
        }
        return m;
    }

    /** @return the next binary message, skipping text (acks) */
    byte[] nextBinary(long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            Message m = received.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (m == null) {
                throw new AssertionError("no binary message within " + seconds + " s");
            }
            if (m.binary != null) {
                return m.binary;
            }
        }
    }

    /** @return the next text message whose type or event is {@code marker} (as JSON text), skipping others */
    String awaitText(String marker, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            Message m = received.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (m == null) {
                throw new AssertionError("no message with " + marker + " within " + seconds + " s");
            }
            if (m.text != null && m.text.contains(marker)) {
                return m.text;
            }
        }
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
    }

    @Override
    public void onMessage(String message) {
        texts.add(message);
        received.add(new Message(message, null));
    }

    @Override
    public void onMessage(ByteBuffer bytes) {
        byte[] b = new byte[bytes.remaining()];
        bytes.get(b);
        received.add(new Message(null, b));
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        texts.add("(closed " + code + " " + reason + ")");
        closed = true;
    }

    @Override
    public void onError(Exception ex) {
    }
}
