package wormhole.transport.direct;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.HostedLink;
import wormhole.api.spi.LinkObserver;
import wormhole.api.spi.LinkSettings;
import wormhole.api.spi.OpeningCheck;

/**
 * The host's listening socket. It is bound as soon as it exists, so the nameplate (the port) is
 * known before anyone connects. Without an {@link OpeningCheck} it accepts exactly one connection;
 * with one (as the engine waits), it passes over stray connections until one presents a peer's
 * opening frame (see {@link Doorway}). Then it closes, so whoever connects next is refused; unless
 * the settings allow resuming, in which case the {@link ResumingLink} keeps it, taking nothing but
 * its own peer's proven resume requests ({@link HostComeback}), and closes it when the link ends or
 * the peer turns out not to resume.
 */
final class DirectHostedLink implements HostedLink {
    private final ServerSocket listener;
    private final String nameplate;
    private final Duration stallTimeout;
    private final Doorway.Limits screening;
    private final Duration resumeLimit;
    private final LinkObserver observer;
    private final ThreadFactory threads;
    private final AtomicBoolean waited = new AtomicBoolean();
    private volatile boolean closed;

    private DirectHostedLink(ServerSocket listener, Duration stallTimeout, Doorway.Limits screening,
            LinkSettings settings) {
        this.resumeLimit = settings.resumeLimit();
        this.observer = settings.observer();
        this.threads = settings.threads();
        this.listener = listener;
        this.nameplate = Integer.toString(listener.getLocalPort());
        this.stallTimeout = stallTimeout;
        this.screening = screening;
    }

    /**
     * Binds a listener.
     *
     * @param address      where to listen; port 0 for any free port
     * @param stallTimeout the stall bound of the link that {@link #awaitPeer} returns
     * @throws IOException when the address cannot be bound (in use, not local, no permission)
     */
    static DirectHostedLink bind(InetSocketAddress address, Duration stallTimeout) throws IOException {
        return bind(address, stallTimeout, Doorway.Limits.DEFAULT,
                new LinkSettings(Duration.ofSeconds(15), (event, detail) -> { }, Duration.ZERO));
    }

    /**
     * Binds a listener with its own screening limits.
     *
     * @param screening how stray connections are bounded while the host waits with a check
     */
    static DirectHostedLink bind(InetSocketAddress address, Duration stallTimeout, Doorway.Limits screening,
            LinkSettings settings) throws IOException {
        ServerSocket listener = new ServerSocket();
        try {
            // Room for a burst of stray connections while a peer's is screened.
            listener.bind(address, 50);
        } catch (IOException e) {
            closeQuietly(listener, e);
            String message = "cannot listen on " + address + ": " + e.getMessage();
            if (e instanceof BindException) {
                BindException clear = new BindException(message);
                clear.initCause(e);
                throw clear;
            }
            throw new IOException(message, e);
        }
        return new DirectHostedLink(listener, stallTimeout, screening, settings);
    }

    @Override
    public String nameplate() {
        return nameplate;
    }

    @Override
    public FrameLink awaitPeer(Duration timeout) throws IOException {
        int millis = SocketTimeouts.millis(timeout);
        if (!waited.compareAndSet(false, true)) {
            throw new IOException("this host link on port " + nameplate + " has already waited for its peer");
        }
        try {
            listener.setSoTimeout(millis);
            Socket peer = listener.accept();
            return SocketFrameLink.over(peer, stallTimeout);
        } catch (IOException e) {
            throw waitFailed(e, timeout);
        } finally {
            closeQuietly(listener, null);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Connections that close, stall, or send anything but a frame {@code opening} accepts within
     * the screening deadline are dropped and the host keeps waiting; see {@link Doorway}.
     */
    @Override
    public FrameLink awaitPeer(Duration timeout, OpeningCheck opening) throws IOException {
        SocketTimeouts.millis(timeout); // refuses a negative time-out
        if (!waited.compareAndSet(false, true)) {
            throw new IOException("this host link on port " + nameplate + " has already waited for its peer");
        }
        Doorway doorway = new Doorway(listener, screening, threads);
        boolean keepListening = false;
        try {
            Doorway.Candidate peer = doorway.awaitFirst(opening, timeout);
            SocketFrameLink first = SocketFrameLink.over(peer.socket(), stallTimeout, peer.opening());
            if (resumeLimit.isZero()) {
                return first;
            }
            // The listener stays open, taking nothing, until the version messages say whether the
            // link resumes; then it serves resume requests, or closes.
            keepListening = true;
            return new ResumingLink(first, resumeLimit, new HostComeback(doorway, stallTimeout), observer);
        } catch (IOException e) {
            throw waitFailed(e, timeout);
        } finally {
            if (!keepListening) {
                doorway.close();
            }
        }
    }

    /** @return what to throw when waiting for the peer failed: a time-out or a close said plainly */
    private IOException waitFailed(IOException e, Duration timeout) {
        if (e instanceof SocketTimeoutException) {
            SocketTimeoutException clear = new SocketTimeoutException(
                    "no peer connected to port " + nameplate + " within " + timeout.toMillis() + " ms");
            clear.initCause(e);
            return clear;
        }
        if (closed) {
            return new IOException("stopped waiting for a peer on port " + nameplate + ": the host link was closed", e);
        }
        return e;
    }

    /** Gives up waiting, and closes the listener (a resuming link loses its way back with it). */
    @Override
    public void close() {
        closed = true;
        closeQuietly(listener, null);
    }

    @Override
    public String toString() {
        return "direct host on " + listener.getLocalSocketAddress();
    }

    private static void closeQuietly(ServerSocket listener, Throwable failure) {
        try {
            listener.close();
        } catch (IOException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
    }
}
