package wormhole.relayserver.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Asks the relay's own WebSocket listener to upgrade a connection, as a client would, so that
 * {@code /health} tells whether it really accepts and answers rather than whether the process runs.
 * Results are kept for a second, so probing {@code /health} often costs the relay little.
 */
final class ListenerProbe {
    private static final int TIMEOUT_MILLIS = 5_000;
    private static final long CACHE_NANOS = 1_000_000_000L;

    private final InetSocketAddress target;
    private final SocketFactory sockets;
    private long checkedAt;
    private String lastFailure;
    private boolean checked;

    /**
     * @param bindAddress the address the listener binds (a wildcard is probed on loopback)
     * @param port        its port
     * @param sockets     plain sockets, or TLS ones for a {@code wss} listener
     */
    ListenerProbe(String bindAddress, int port, SocketFactory sockets) {
        this.target = new InetSocketAddress(probeAddress(bindAddress), port);
        this.sockets = sockets;
    }

    /**
     * Sockets for probing a {@code wss} listener. The probe asks whether the listener answers, not who
     * it is (its certificate and key were checked when the relay started), and sends nothing secret,
     * so it accepts whatever certificate its own relay shows.
     */
    static SocketFactory tlsSockets() {
        X509TrustManager anyCertificate = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                throw new UnsupportedOperationException("the probe is a client");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // the relay's own certificate, on its own port: see above
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {anyCertificate}, null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK offers no TLS client", e);
        }
    }

    private static InetAddress probeAddress(String bindAddress) {
        InetAddress a = AddressRange.literal(bindAddress);
        if (a == null || a.isAnyLocalAddress()) {
            return InetAddress.getLoopbackAddress();
        }
        return a;
    }

    /** @return null when the listener upgraded a connection just now (or within the last second), else why not */
    synchronized String failure() {
        long now = System.nanoTime();
        if (!checked || now - checkedAt >= CACHE_NANOS) {
            lastFailure = probe();
            checkedAt = System.nanoTime();
            checked = true;
        }
        return lastFailure;
    }

    private String probe() {
        try (Socket s = sockets.createSocket()) {
            s.connect(target, TIMEOUT_MILLIS);
            s.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = s.getOutputStream();
            String key = Base64.getEncoder().encodeToString(new byte[16]);
            out.write(("GET /ws HTTP/1.1\r\nHost: " + target.getAddress().getHostAddress() + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                    + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = statusLine(s.getInputStream());
            return status.startsWith("HTTP/1.1 101") ? null : "the listener answered an upgrade with: " + status;
        } catch (IOException e) {
            return "the listener did not upgrade a connection within " + TIMEOUT_MILLIS + " ms: " + e.getMessage();
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n' && line.length() < 200; b = in.read()) {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        if (line.length() == 0) {
            throw new IOException("it closed the connection without an answer");
        }
        return line.toString();
    }
}
