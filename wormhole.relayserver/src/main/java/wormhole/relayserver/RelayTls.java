package wormhole.relayserver;

import java.io.IOException;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import wormhole.relayserver.internal.PemTlsContext;

/**
 * The relay's own TLS, for {@link RelayConfig.Builder#tlsContext}: serving {@code wss://} without a
 * TLS-terminating proxy in front.
 *
 * <pre>{@code
 * RelayConfig config = RelayConfig.builder()
 *         .tlsContext(RelayTls.fromPem(Path.of("fullchain.pem"), Path.of("privkey.pem")))
 *         .build();
 * }</pre>
 */
public final class RelayTls {
    private RelayTls() {
    }

    /**
     * Reads a certificate chain and its private key from PEM files, with the JDK alone.
     *
     * @param certificateFile one or more {@code -----BEGIN CERTIFICATE-----} blocks, the relay's own
     *                        first, then the chain
     * @param keyFile         its private key: PKCS#8 ({@code BEGIN PRIVATE KEY}; RSA, EC, Ed25519 or
     *                        Ed448), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1
     *                        ({@code BEGIN EC PRIVATE KEY}), not encrypted; may be the certificate file
     * @return a TLS context for {@link RelayConfig.Builder#tlsContext}
     * @throws IOException with a one-line message naming the file, when a file cannot be read or
     *                     parsed, the key is encrypted, or the key does not belong to the certificate
     */
    public static SSLContext fromPem(Path certificateFile, Path keyFile) throws IOException {
        return PemTlsContext.load(certificateFile, keyFile);
    }
}
