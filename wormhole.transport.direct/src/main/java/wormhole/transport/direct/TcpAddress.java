package wormhole.transport.direct;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * A {@code tcp://host:port} rendezvous, checked. The host is kept as written (a name, an IPv4 literal
 * or a bracketed IPv6 literal) so messages show what the user typed.
 *
 * @param host the host part as in the URI, brackets included for IPv6
 * @param port the port, 0 only for a host side that wants any free port
 */
record TcpAddress(String host, int port) {
    static final String SCHEME = "tcp";

    /** Where a host listens when its URI names no address: all IPv4 interfaces, as the CLI's default. */
    static final String ALL_INTERFACES = "0.0.0.0";

    static boolean isTcp(URI uri) {
        return uri != null && SCHEME.equals(lower(uri.getScheme()));
    }

    /**
     * Reads the address a host binds: {@code tcp://0.0.0.0:0}, {@code tcp://[::]:4242},
     * {@code tcp://192.168.1.5:0}. A missing port is 0 (any free port); a missing host
     * ({@code tcp://:4242}) is all IPv4 interfaces.
     */
    static TcpAddress forBinding(URI uri) {
        checkShape(uri);
        if (uri.getHost() == null) {
            // java.net.URI does not parse "tcp://:4242" as host and port; read the port ourselves.
            String authority = uri.getRawAuthority();
            if (!authority.matches(":[0-9]{1,5}")) {
                throw new IllegalArgumentException("expected tcp://bind-address:port, got " + uri);
            }
            return new TcpAddress(ALL_INTERFACES, checkPort(Integer.parseInt(authority.substring(1)), uri));
        }
        int port = uri.getPort() == -1 ? 0 : checkPort(uri.getPort(), uri);
        return new TcpAddress(uri.getHost(), port);
    }

    /** Reads the address a peer connects to: {@code tcp://laptop.local:4242}, {@code tcp://[::1]:4242}. */
    static TcpAddress forConnecting(URI uri) {
        checkShape(uri);
        if (uri.getHost() == null) {
            // No host, or an authority that is not host:port (an underscore in a name, a bad port).
            throw new IllegalArgumentException("expected tcp://host:port, got " + uri);
        }
        if (uri.getPort() == 0 || uri.getPort() == -1) {
            throw new IllegalArgumentException("a direct connection needs a port from 1 to 65535: " + uri);
        }
        return new TcpAddress(uri.getHost(), checkPort(uri.getPort(), uri));
    }

    /** @return every address the host part names, in the resolver's order */
    InetAddress[] resolveAll() throws UnknownHostException {
        try {
            return InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            UnknownHostException clear = new UnknownHostException("cannot resolve host " + host);
            clear.initCause(e);
            throw clear;
        }
    }

    @Override
    public String toString() {
        return SCHEME + "://" + host + ":" + port;
    }

    private static void checkShape(URI uri) {
        if (!isTcp(uri)) {
            throw new IllegalArgumentException("not a tcp:// rendezvous: " + uri);
        }
        if (uri.isOpaque() || uri.getRawAuthority() == null) {
            throw new IllegalArgumentException("expected tcp://host:port, got " + uri);
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || "/".equals(uri.getRawPath()))) {
            throw new IllegalArgumentException("a tcp:// rendezvous is only host and port, got " + uri);
        }
    }

    private static int checkPort(int port, URI uri) {
        if (port > 65535) {
            throw new IllegalArgumentException("port out of range (0 to 65535): " + uri);
        }
        return port;
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
