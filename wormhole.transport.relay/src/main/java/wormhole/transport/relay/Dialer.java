package wormhole.transport.relay;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import wormhole.api.spi.LinkSettings;

/**
 * Opens WebSocket connections to one relay for a session, first to join and then to resume: the
 * connect time-out, TLS, keep-alive pings, and the first text message.
 */
final class Dialer {
    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** WebSocket pings find a dead relay connection within about 1.5 times this. */
    private static final int PING_SECONDS = 20;

    private final Endpoint endpoint;
    private final Duration connectTimeout;

    Dialer(Endpoint endpoint, LinkSettings settings) {
        this.endpoint = endpoint;
        Duration d = settings.connectTimeout();
        this.connectTimeout = d.isZero() || d.isNegative() ? DEFAULT_CONNECT_TIMEOUT : d;
    }

    /** @return the time allowed to connect, and then for the relay to answer */
    Duration connectTimeout() {
        return connectTimeout;
    }

    /** @return the relay's address, for messages */
    String where() {
        return endpoint.uri().toString();
    }

    /**
     * Connects a new WebSocket whose events go to {@code listener}.
     *
     * @param maxBinaryBytes the largest binary message accepted until the relay answers
     */
    Connection connect(RelayMessages listener, long maxBinaryBytes) throws IOException {
        Connection c = new Connection(endpoint, listener, maxBinaryBytes);
        if (endpoint.tls() != null) {
            c.setSocketFactory(endpoint.tls());
        }
        c.setConnectionLostTimeout(PING_SECONDS);
        boolean ok;
        try {
            ok = c.connectBlocking(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.close();
            throw new InterruptedIOException("interrupted while connecting to the relay");
        }
        if (!ok) {
            c.close();
            throw new ConnectException("cannot reach the relay at " + endpoint.uri() + ": " + c.lastErrorMessage());
        }
        return c;
    }

    /** Sends a text message (a join or a resume) on a connection that has just opened. */
    static void transmit(Connection c, String text) throws IOException {
        try {
            c.send(text);
        } catch (WebsocketNotConnectedException e) {
            throw new IOException("the relay connection closed at once", e);
        }
    }
}
