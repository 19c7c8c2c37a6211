package wormhole.transport.direct;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import wormhole.api.spi.DirectPaths;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.LinkSettings;
import wormhole.api.spi.LocalAddresses;

/**
 * Direct TCP connections for the upgrade of a channel that met through a relay: a listener on every
 * interface whose hints are this machine's IPv4 and IPv6 addresses (loopback last), and dialing a hint
 * ({@code host:port}, {@code [v6]:port}). The
 * connections are plain length-prefixed frame links; the engine authenticates them.
 */
final class UpgradePaths implements DirectPaths {
    private final Duration stallTimeout;

    UpgradePaths(Duration stallTimeout) {
        this.stallTimeout = stallTimeout;
    }

    @Override
    public Listener listen(int port, LinkSettings settings) throws IOException {
        ServerSocket server = new ServerSocket();
        try {
            server.bind(new InetSocketAddress(port), 16);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return new TcpListener(server, stallTimeout);
    }

    @Override
    public FrameLink dial(String hint, Duration timeout, LinkSettings settings) throws IOException {
        InetSocketAddress target = parse(hint);
        return SocketFrameLink.over(DirectTransportProvider.open(target, timeout), stallTimeout);
    }

    /** @return the address of a {@code host:port} hint, resolved only if it is a literal address */
    static InetSocketAddress parse(String hint) throws IOException {
        try {
            URI uri = new URI("tcp://" + hint);
            if (uri.getHost() == null || uri.getPort() < 1 || uri.getPort() > 65535 || uri.getPath() != null && !uri.getPath().isEmpty()) {
                throw new IOException("not a host:port hint: " + hint);
            }
            return new InetSocketAddress(uri.getHost(), uri.getPort());
        } catch (URISyntaxException e) {
            throw new IOException("not a host:port hint: " + hint, e);
        }
    }

    /** A listening socket whose connections become frame links. */
    private record TcpListener(ServerSocket server, Duration stallTimeout) implements Listener {
        @Override
        public List<String> hints() {
            // IPv4 first (what most networks route), then IPv6, and loopback, which only serves a
            // peer on this machine, last.
            List<String> v4 = LocalAddresses.ipv4();
            List<String> hints = new ArrayList<>();
            for (String a : v4.subList(0, v4.size() - 1)) {
                hints.add(a + ":" + server.getLocalPort());
            }
            for (String a : LocalAddresses.ipv6()) {
                hints.add("[" + a + "]:" + server.getLocalPort());
            }
            hints.add(v4.get(v4.size() - 1) + ":" + server.getLocalPort());
            return hints;
        }

        @Override
        public int port() {
            return server.getLocalPort();
        }

        @Override
        public FrameLink accept() throws IOException {
            Socket s = server.accept();
            return SocketFrameLink.over(s, stallTimeout);
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException e) {
                // closing a listener that failed changes nothing
            }
        }
    }
}
