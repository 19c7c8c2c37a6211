package wormhole.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * A WebSocket client (Java-WebSocket's) that speaks the relay protocol by hand, as a Python 0.1.x
 * client would, for the relay's and the relay client's tests: it queues what arrives so a test can
 * take the messages in order (5 s at most each).
 */
public final class TestClient extends WebSocketClient {
    /** The JSON mapper {@link #text()} parses with. */
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final long WAIT_SECONDS = 5;

    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile int closeCode;
    private volatile boolean skipAcks = true;

    private TestClient(URI uri) {
        super(uri);
    }

    private TestClient(URI uri, java.util.Map<String, String> headers) {
        super(uri, headers);
    }

    /**
     * Opens a connection from local address {@code from} (any 127.x.y.z works on loopback), with
     * extra upgrade headers; returns it whether or not the relay let it upgrade.
     */
    public static TestClient openFrom(int port, String from, java.util.Map<String, String> headers) {
        TestClient c = new TestClient(URI.create("ws://127.0.0.1:" + port + "/ws"), headers);
        c.setSocketFactory(new javax.net.SocketFactory() {
            @Override
            public java.net.Socket createSocket() throws IOException {
                java.net.Socket s = new java.net.Socket();
                s.bind(new java.net.InetSocketAddress(from, 0));
                return s;
            }

            @Override
            public java.net.Socket createSocket(String host, int p) {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.net.Socket createSocket(String host, int p, java.net.InetAddress la, int lp) {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.net.Socket createSocket(java.net.InetAddress host, int p) {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.net.Socket createSocket(java.net.InetAddress a, int p, java.net.InetAddress la, int lp) {
                throw new UnsupportedOperationException();
            }
        });
        try {
            c.connectBlocking(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return c;
    }

    public static TestClient open(int port) {
        return open(port, "/ws");
    }

    public static TestClient open(int port, String path) {
        TestClient c = new TestClient(URI.create("ws://127.0.0.1:" + port + path));
        try {
            assertTrue(c.connectBlocking(WAIT_SECONDS, TimeUnit.SECONDS), "connect");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return c;
    }

    /** Opens a connection and sends the Python 0.1.x join. */
    public static TestClient pythonJoin(int port, String code, String role) {
        TestClient c = open(port);
        c.send("{\"action\":\"join\",\"code\":\"" + code + "\",\"role\":\"" + role + "\"}");
        return c;
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
    }

    /** @param skip whether the relay's {@code ack} messages are dropped (they are, unless a test looks at them) */
    public TestClient skipAcks(boolean skip) {
        skipAcks = skip;
        return this;
    }

    @Override
    public void onMessage(String message) {
        if (!(skipAcks && message.startsWith("{\"type\":\"ack\""))) {
            inbox.add(message);
        }
    }

    @Override
    public void onMessage(ByteBuffer bytes) {
        byte[] b = new byte[bytes.remaining()];
        bytes.get(b);
        inbox.add(b);
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        closeCode = code;
        closed.countDown();
    }

    @Override
    public void onError(Exception ex) {
    }

    public Object next() {
        try {
            Object o = inbox.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(o, "no message within " + WAIT_SECONDS + " s");
            return o;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return the next message, which must be text, parsed */
    public JsonNode text() {
        Object o = next();
        assertTrue(o instanceof String, "expected a text message, got " + describe(o));
        try {
            return JSON.readTree((String) o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the next message, which must be text, as sent */
    public String rawText() {
        Object o = next();
        assertTrue(o instanceof String, "expected a text message, got " + describe(o));
        return (String) o;
    }

    public byte[] binary() {
        Object o = next();
        assertTrue(o instanceof byte[], "expected a binary message, got " + describe(o));
        return (byte[]) o;
    }

    /** Asserts the next message is an error with this code, and returns its message. */
    public String expectError(String code) {
        JsonNode n = text();
        assertEquals("error", n.path("type").asText(), n.toString());
        assertEquals(code, n.path("code").asText(), n.toString());
        assertTrue(n.path("message").asText().length() > 5, n.toString());
        return n.path("message").asText();
    }

    public void expectStatus(String event) {
        JsonNode n = text();
        assertEquals("status", n.path("type").asText(), n.toString());
        assertEquals(event, n.path("event").asText(), n.toString());
    }

    public boolean awaitClosed() {
        try {
            return closed.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public int closeCode() {
        return closeCode;
    }

    public boolean inboxEmpty() {
        return inbox.isEmpty();
    }

    /** Cuts the TCP connection without a WebSocket close, as a network failure would. */
    public void cut() {
        try {
            getSocket().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String describe(Object o) {
        return o instanceof byte[] b ? "binary of " + b.length + " bytes" : String.valueOf(o);
    }
}
