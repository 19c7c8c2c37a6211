package wormhole.relayserver.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Builds the relay's server {@link SSLContext} from two PEM files, with the JDK alone: the
 * certificate chain (leaf first) and its private key, checked to belong together, in an in-memory
 * key store. Every failure is an {@link IOException} with a one-line message that names the file.
 */
public final class PemTlsContext {
    /** Protects the key inside the in-memory key store only; it is never written anywhere. */
    private static final char[] STORE_PASSWORD = "in-memory".toCharArray();

    private PemTlsContext() {
    }

    /**
     * @param certificateFile PEM with one or more {@code CERTIFICATE} blocks, the relay's own first
     * @param keyFile         PEM with the private key of the first certificate (may be the same file)
     * @return a TLS context serving that identity
     * @throws IOException when a file cannot be read, holds no usable certificate or key, or the key
     *                     does not belong to the certificate
     */
    public static SSLContext load(Path certificateFile, Path keyFile) throws IOException {
        List<X509Certificate> chain = certificates(certificateFile);
        PrivateKey key;
        try {
            key = PemPrivateKey.from(Pem.parse(read(keyFile, "key")));
        } catch (IOException e) {
            throw new IOException("TLS key file " + keyFile + ": " + e.getMessage(), e);
        }
        if (!belongTogether(key, chain.get(0).getPublicKey())) {
            throw new IOException("the TLS key in " + keyFile + " does not belong to the first certificate in "
                    + certificateFile);
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("relay", key, STORE_PASSWORD, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, STORE_PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS with " + certificateFile + " and " + keyFile + ": " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> certificates(Path file) throws IOException {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Pem.Block b : Pem.parse(read(file, "certificate"))) {
                if (b.label().equals("CERTIFICATE")) {
                    try {
                        chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
                    } catch (CertificateException e) {
                        throw new IOException("certificate " + (chain.size() + 1) + " cannot be parsed: " + e.getMessage(), e);
                    }
                }
            }
        } catch (CertificateException e) {
            throw new IOException("no X.509 support: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IOException("TLS certificate file " + file + ": " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IOException("TLS certificate file " + file + ": no -----BEGIN CERTIFICATE----- block");
        }
        return chain;
    }

    private static byte[] read(Path file, String what) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException("no such file");
        } catch (AccessDeniedException e) {
            throw new IOException("permission denied");
        } catch (IOException e) {
            throw new IOException("cannot read the " + what + ": " + e.getMessage(), e);
        }
    }

    /** Signs a random challenge with the key and checks it with the certificate's public key. */
    private static boolean belongTogether(PrivateKey key, PublicKey certified) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // EdDSA, Ed25519, Ed448: the key names its own scheme
        };
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // such as an EC key with an RSA certificate
        }
    }
}
