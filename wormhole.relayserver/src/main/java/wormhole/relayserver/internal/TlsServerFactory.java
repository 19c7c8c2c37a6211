package wormhole.relayserver.internal;

import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.server.SSLParametersWebSocketServerFactory;

/** Makes the WebSocket server speak TLS ({@code wss://}): TLS 1.3 and 1.2 only, no client certificates. */
final class TlsServerFactory {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TlsServerFactory() {
    }

    /**
     * @param context the relay's TLS identity
     * @return the factory the server's admission wraps
     */
    static WebSocketServerFactory of(SSLContext context) {
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setProtocols(Arrays.stream(PROTOCOLS)
                .filter(Arrays.asList(context.getSupportedSSLParameters().getProtocols())::contains)
                .toArray(String[]::new));
        parameters.setNeedClientAuth(false);
        // The handshakes' delegated tasks run here; daemon threads, so a relay left unstopped never
        // holds the JVM open (the library's default executor's thread would). The server's stop shuts it down.
        ExecutorService handshakes = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), task -> {
            Thread t = new Thread(task, "relay-tls");
            t.setDaemon(true);
            return t;
        });
        return new SSLParametersWebSocketServerFactory(context, handshakes, parameters);
    }
}
