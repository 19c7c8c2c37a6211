package wormhole.api.spi;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * A transport's ability to open direct connections beside a channel's link, for the upgrade of a
 * channel that met through a relay ({@link UpgradeCarrier}). A provider offers it through
 * {@link TransportProvider#directPaths()}. The connections are raw frame links: the engine proves on
 * each, with keys derived from the session, that the other end holds it, before any frame of the
 * channel travels on it, so a transport does no authentication of its own.
 *
 * <p>Must-clauses, beyond those of {@link FrameLink}: {@code listen} and {@code dial} are called on
 * the engine's upgrade threads; {@link Listener#accept()} blocks until a connection arrives and must
 * fail at once when the listener is closed, from any thread; {@code dial} must give up within its
 * time-out; every method throws only {@link IOException}s. Links returned belong to the engine.
 */
public interface DirectPaths {
    /**
     * Listens for direct connections.
     *
     * @param port     the port to listen on, 0 for any free port
     * @param settings the threads and time-outs
     * @return the listener, whose {@link Listener#hints()} the engine sends to the other end
     * @throws IOException when nothing can be bound
     */
    Listener listen(int port, LinkSettings settings) throws IOException;

    /**
     * Opens a connection to one of the other end's hints.
     *
     * @param hint     a {@code host:port} hint the other end sent (an IPv6 host in brackets)
     * @param timeout  how long connecting may take
     * @param settings the threads and time-outs
     * @return the connected link
     * @throws IOException when the hint is malformed or leads nowhere in time
     */
    FrameLink dial(String hint, Duration timeout, LinkSettings settings) throws IOException;

    /** A listening socket for direct connections. */
    interface Listener extends AutoCloseable {
        /**
         * @return the {@code host:port} hints a peer may try: this machine's own addresses first,
         *         loopback last
         */
        List<String> hints();

        /** @return the port it listens on */
        int port();

        /**
         * Waits for the next connection.
         *
         * @return the connection, as a frame link
         * @throws IOException when the listener is closed or fails
         */
        FrameLink accept() throws IOException;

        /** Stops listening; a blocked {@link #accept()} fails at once. Idempotent, never throws. */
        @Override
        void close();
    }
}
