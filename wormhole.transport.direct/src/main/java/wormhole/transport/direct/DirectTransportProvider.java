package wormhole.transport.direct;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.HostedLink;
import wormhole.api.spi.LinkSettings;
import wormhole.api.spi.TransportProvider;

/**
 * Direct TCP between two machines that can reach each other: the host listens on a port (the number
 * in the channel code), passes over stray connections and takes exactly one peer ({@link Doorway}).
 * Rendezvous URIs are {@code tcp://host:port}; frames are a 4-byte big-endian length followed by the
 * bytes, as version 1 of the protocol. When the link settings allow it and both ends agree, a
 * dropped connection resumes ({@link ResumingLink}, docs/PROTOCOL.md 3.2).
 *
 * <p>A frame that has started to arrive must keep arriving: if no byte of it comes for the stall
 * time-out (30 s, or the ISO-8601 duration in the system property
 * {@code wormhole.direct.stallTimeout}, such as {@code PT10S}), receiving fails. Quiet time between frames is not limited here.
 */
public final class DirectTransportProvider implements TransportProvider {
    /** System property that overrides the stall time-out, as an ISO-8601 duration ({@code PT30S}). */
    static final String STALL_TIMEOUT_PROPERTY = "wormhole.direct.stallTimeout";

    static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(30);

    private static final System.Logger LOG = System.getLogger(DirectTransportProvider.class.getName());

    private final Duration stallTimeout;

    /** Creates the provider, as {@link java.util.ServiceLoader} does. */
    public DirectTransportProvider() {
        this(stallTimeoutFrom(System.getProperty(STALL_TIMEOUT_PROPERTY)));
    }

    /** @param stallTimeout how long a started frame may go without a byte; zero for no limit */
    DirectTransportProvider(Duration stallTimeout) {
        if (stallTimeout.isNegative()) {
            throw new IllegalArgumentException("negative stall time-out: " + stallTimeout);
        }
        this.stallTimeout = stallTimeout;
    }

    /** @return how long a started frame may go without a byte before receiving fails */
    Duration stallTimeout() {
        return stallTimeout;
    }

    @Override
    public String name() {
        return "direct";
    }

    @Override
    public java.util.Optional<wormhole.api.spi.DirectPaths> directPaths() {
        return java.util.Optional.of(new UpgradePaths(stallTimeout));
    }

    @Override
    public boolean supports(URI rendezvous) {
        return TcpAddress.isTcp(rendezvous);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when the URI is not {@code tcp://bind-address:port}
     */
    @Override
    public HostedLink host(URI rendezvous, LinkSettings settings) throws IOException {
        Objects.requireNonNull(settings, "settings");
        TcpAddress address = TcpAddress.forBinding(rendezvous);
        InetAddress bindAddress = address.resolveAll()[0];
        return DirectHostedLink.bind(new InetSocketAddress(bindAddress, address.port()), stallTimeout,
                Doorway.Limits.DEFAULT, settings);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The port in the URI is the rendezvous; {@code channelId} (the same number) is not needed. Every
     * address the host name resolves to is tried in turn within the connect time-out.
     *
     * @throws IllegalArgumentException when the URI is not {@code tcp://host:port}
     */
    @Override
    public FrameLink connect(URI rendezvous, String channelId, LinkSettings settings) throws IOException {
        TcpAddress address = TcpAddress.forConnecting(rendezvous);
        Duration timeout = settings.connectTimeout();
        SocketTimeouts.millis(timeout); // refuses a negative time-out before any resolving
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException failure = null;
        for (InetAddress candidate : address.resolveAll()) {
            Duration left = timeout.isZero() ? Duration.ZERO : Duration.ofNanos(deadline - System.nanoTime());
            if (!timeout.isZero() && (left.isNegative() || left.isZero())) {
                break;
            }
            InetSocketAddress target = new InetSocketAddress(candidate, address.port());
            try {
                SocketFrameLink link = SocketFrameLink.over(open(target, left), stallTimeout);
                return settings.resumeLimit().isZero() ? link
                        : new ResumingLink(link, settings.resumeLimit(), new PeerComeback(target, stallTimeout, settings.threads()),
                                settings.observer());
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        throw explain(address, timeout, failure);
    }

    static Socket open(InetSocketAddress target, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(target, SocketTimeouts.millis(timeout));
            return socket;
        } catch (IOException | RuntimeException e) {
            SocketFrameLink.closeQuietly(socket, e);
            throw e;
        }
    }

    private static IOException explain(TcpAddress address, Duration timeout, IOException failure) {
        IOException clear;
        if (failure instanceof SocketTimeoutException || failure == null) {
            clear = new SocketTimeoutException("cannot connect to " + address + ": no answer within "
                    + timeout.toMillis() + " ms (is the host reachable, and is a firewall in the way?)");
        } else if (failure instanceof ConnectException) {
            clear = new ConnectException("cannot connect to " + address + ": " + failure.getMessage()
                    + " (is the host still waiting on that port?)");
        } else {
            return new IOException("cannot connect to " + address + ": " + failure.getMessage(), failure);
        }
        if (failure != null) {
            clear.initCause(failure);
        }
        return clear;
    }

    static Duration stallTimeoutFrom(String property) {
        if (property == null || property.isBlank()) {
            return DEFAULT_STALL_TIMEOUT;
        }
        try {
            Duration parsed = Duration.parse(property.strip());
            if (!parsed.isNegative()) {
                return parsed;
            }
        } catch (DateTimeParseException e) {
            // fall through to the warning
        }
        LOG.log(System.Logger.Level.WARNING, "ignoring " + STALL_TIMEOUT_PROPERTY + "=" + property
                + ": not a non-negative ISO-8601 duration such as PT30S; using " + DEFAULT_STALL_TIMEOUT);
        return DEFAULT_STALL_TIMEOUT;
    }
}
