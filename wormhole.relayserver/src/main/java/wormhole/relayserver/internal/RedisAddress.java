package wormhole.relayserver.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Where the relay's Redis is and how to log in, read from its URL
 * ({@code redis[s]://[[user]:password@]host[:port][/db][?trust=PEM]}): the credentials (percent-decoded),
 * TLS, and for {@code rediss://} the certificates to trust. Its {@link #toString()} never shows the password.
 *
 * @param host     the host name or address
 * @param port     the port (6379 when the URL has none)
 * @param database the database number (0 when the URL has none)
 * @param user     the ACL user, or null for the default user
 * @param password the password, or null for none
 * @param tls      whether the URL is {@code rediss://}
 * @param trust    a PEM file whose certificates alone are trusted for {@code rediss://}, or null for the
 *                 system's trust store
 */
public record RedisAddress(String host, int port, int database, String user, String password, boolean tls, Path trust) {
    static final String TRUST_PARAMETER = "trust";

    /** @throws IllegalArgumentException when the URL is not one of Redis's */
    public static RedisAddress parse(URI uri) {
        boolean tls = "rediss".equals(uri.getScheme());
        if (!(tls || "redis".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("the Redis URL must be redis://HOST:PORT[/DB] or rediss://...");
        }
        String user = null;
        String password = null;
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
            if (user.isEmpty()) {
                user = null;
            }
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        int database;
        try {
            database = path.isEmpty() ? 0 : Integer.parseInt(path);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the Redis URL's path must be a database number, such as /0");
        }
        Path trust = null;
        if (uri.getRawQuery() != null) {
            for (String part : uri.getRawQuery().split("&")) {
                if (part.startsWith(TRUST_PARAMETER + "=")) {
                    String file = decode(part.substring(TRUST_PARAMETER.length() + 1));
                    trust = file.isBlank() ? null : Path.of(file);
                } else if (!part.isEmpty()) {
                    throw new IllegalArgumentException("the Redis URL knows one parameter, trust=PEM-FILE");
                }
            }
        }
        if (trust != null && !tls) {
            throw new IllegalArgumentException("trust= needs rediss:// (TLS)");
        }
        return new RedisAddress(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), database, user, password, tls, trust);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /**
     * @return the socket factory for {@code rediss://}: one that trusts only the {@code trust} file's
     *         certificates, or the system's default
     * @throws IOException when the file cannot be read or holds no certificate
     */
    SSLSocketFactory socketFactory() throws IOException {
        if (trust == null) {
            return (SSLSocketFactory) SSLSocketFactory.getDefault();
        }
        try {
            Collection<? extends Certificate> certificates;
            try (InputStream in = Files.newInputStream(trust)) {
                certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (certificates.isEmpty()) {
                throw new IOException("no certificate in the Redis trust file " + trust);
            }
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certificates) {
                ks.setCertificateEntry("redis-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException e) {
            throw new IOException("cannot read the Redis trust file " + trust + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the Redis trust file " + trust + ": " + e.getMessage(), e);
        }
    }

    /** @return TLS parameters that check the certificate's host name, as HTTPS does */
    static SSLParameters checkingHostName() {
        SSLParameters p = new SSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        return p;
    }

    /** @return the URL without its credentials or parameters, for logs and errors */
    @Override
    public String toString() {
        return (tls ? "rediss://" : "redis://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/" + database;
    }
}
