package wormhole.transport.relay;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import wormhole.api.spi.LinkSettings;

/**
 * Opens WebSocket connections to a relay for a session, first to join and then to resume: the
 * connect time-out, TLS, keep-alive pings, and the first text message. With several relay addresses
 * it tries each in turn until one connects, and starts a resume at the next one.
 */
final class Dialer {
    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** WebSocket pings find a dead relay connection within about 1.5 times this. */
    private static final int PING_SECONDS = 20;

    private final Endpoints endpoints;
    private final Duration connectTimeout;

    Dialer(Endpoints endpoints, LinkSettings settings) {
        this.endpoints = endpoints;
        Duration d = settings.connectTimeout();
        this.connectTimeout = d.isZero() || d.isNegative() ? DEFAULT_CONNECT_TIMEOUT : d;
    }

    /** @return the time allowed to connect, and then for the relay to answer */
    Duration connectTimeout() {
        return connectTimeout;
    }

    /** @return the relay's address, for messages */
    synchronized String where() {
        return endpoints.current().uri().toString();
    }

    /** After a drop: the next connection goes to the next address (the same one if there is one). */
    synchronized void moveOn() {
        endpoints.next();
    }

    /**
     * Connects a new WebSocket whose events go to {@code listener}.
     *
     * @param maxBinaryBytes the largest binary message accepted until the relay answers
     */
    Connection connect(RelayMessages listener, long maxBinaryBytes) throws IOException {
        int tries;
        synchronized (this) {
            tries = endpoints.size();
        }
        for (int i = 1; ; i++) {
            Endpoint endpoint;
            synchronized (this) {
                endpoint = endpoints.current();
            }
            try {
                return connect(endpoint, listener, maxBinaryBytes);
            } catch (ConnectException e) {
                if (i >= tries) {
                    throw e;
                }
                moveOn();
            }
        }
    }

    private Connection connect(Endpoint endpoint, RelayMessages listener, long maxBinaryBytes) throws IOException {
        Connection c = new Connection(endpoint, listener, maxBinaryBytes);
        if (endpoint.tls() != null) {
            c.setSocketFactory(endpoint.tls());
        }
        c.setConnectionLostTimeout(PING_SECONDS);
        // Small messages (acknowledgements, texts, keepalives) go at once, not behind the relay's
        // delayed acknowledgement of the previous one (Nagle's algorithm, up to 40 ms on Linux).
        c.setTcpNoDelay(true);
        // Like every thread of a channel, the library's never keep a process alive.
        c.setDaemon(true);
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
