package wormhole.transport.relay;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLSocketFactory;

/**
 * A relay's WebSocket address, from a rendezvous URI: {@code ws://} or {@code wss://}, path {@code /ws}
 * added when absent, and for {@code wss} the TLS socket factory (see {@link RelayTransportProvider}
 * for the {@code trust} option).
 *
 * @param uri the URI to connect to (without our {@code trust} parameter)
 * @param tls the TLS socket factory, or null for {@code ws}
 */
record Endpoint(URI uri, SSLSocketFactory tls) {
    static final String TRUST_PROPERTY = "wormhole.relay.trust";
    static final String TRUST_PARAMETER = "trust";

    static boolean supports(URI rendezvous) {
        String scheme = rendezvous.getScheme();
        return scheme != null && rendezvous.getHost() != null
                && ("ws".equalsIgnoreCase(scheme) || "wss".equalsIgnoreCase(scheme));
    }

    static Endpoint of(URI rendezvous) throws IOException {
        if (!supports(rendezvous)) {
            throw new IllegalArgumentException("not a ws:// or wss:// URI with a host: " + rendezvous);
        }
        String scheme = rendezvous.getScheme().toLowerCase(Locale.ROOT);
        String path = rendezvous.getRawPath() == null || rendezvous.getRawPath().isEmpty()
                || "/".equals(rendezvous.getRawPath()) ? "/ws" : rendezvous.getRawPath();
        String trust = System.getProperty(TRUST_PROPERTY);
        List<String> kept = new ArrayList<>();
        if (rendezvous.getRawQuery() != null) {
            for (String part : rendezvous.getRawQuery().split("&")) {
                if (part.startsWith(TRUST_PARAMETER + "=")) {
                    trust = java.net.URLDecoder.decode(part.substring(TRUST_PARAMETER.length() + 1),
                            java.nio.charset.StandardCharsets.UTF_8);
                } else if (!part.isEmpty()) {
                    kept.add(part);
                }
            }
        }
        String query = kept.isEmpty() ? "" : "?" + String.join("&", kept);
        URI uri;
        try {
            uri = new URI(scheme + "://" + rendezvous.getRawAuthority() + path + query);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad relay URI: " + rendezvous, e);
        }
        SSLSocketFactory tls = "wss".equals(scheme)
                ? Tls.socketFactory(trust == null || trust.isBlank() ? null : Path.of(trust))
                : null;
        return new Endpoint(uri, tls);
    }
}
