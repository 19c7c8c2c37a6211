package wormhole.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made at test time by the JDK's keytool and
 * written as PEM: the certificate, and its key as PKCS#8 and (for tests of the traditional forms)
 * PKCS#1 or SEC1. The relay's TLS tests and the image's TLS ITs share it.
 *
 * @param certificatePem the certificate file
 * @param keyPem         the PKCS#8 key file
 * @param certificate    the certificate
 * @param key            the private key
 */
public record SelfSigned(Path certificatePem, Path keyPem, X509Certificate certificate, PrivateKey key) {
    private static final String PASSWORD = "test-only";

    /**
     * @param dir     where the files go
     * @param name    a prefix for them
     * @param keyArgs keytool's key options, such as {@code -keyalg RSA -keysize 2048}
     */
    public static SelfSigned make(Path dir, String name, String... keyArgs) throws IOException, GeneralSecurityException {
        Path store = dir.resolve(name + ".p12");
        List<String> gen = new ArrayList<>(List.of("-genkeypair", "-alias", "relay", "-dname", "CN=localhost",
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2"));
        gen.addAll(List.of(keyArgs));
        keytool(store, gen);
        Path certificatePem = dir.resolve(name + "-cert.pem");
        keytool(store, List.of("-exportcert", "-rfc", "-alias", "relay", "-file", certificatePem.toString()));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        PrivateKey key = (PrivateKey) ks.getKey("relay", PASSWORD.toCharArray());
        Path keyPem = dir.resolve(name + "-key.pem");
        Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
        return new SelfSigned(certificatePem, keyPem, (X509Certificate) ks.getCertificate("relay"), key);
    }

    private static void keytool(Path store, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(args);
        command.addAll(List.of("-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD, "-noprompt"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "keytool did not finish");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), () -> "keytool " + args + ": " + out.toString(StandardCharsets.UTF_8));
    }

    /** @return a PEM block with 64-character lines */
    public static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    /** @return the key as a traditional OpenSSL file: PKCS#1 for RSA, SEC1 (with its named curve) for EC */
    public String traditionalKeyPem() {
        List<TestDer> info = TestDer.read(key.getEncoded()).children();
        byte[] inner = info.get(2).content();
        if (key.getAlgorithm().equals("RSA")) {
            return pem("RSA PRIVATE KEY", inner);
        }
        byte[] curve = info.get(1).children().get(1).encoded();
        List<TestDer> sec1 = TestDer.read(inner).children();
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes(sec1.get(0).encoded()); // version 1
        content.writeBytes(sec1.get(1).encoded()); // the private value
        content.writeBytes(TestDer.encode(0xA0, curve)); // [0] the named curve, as OpenSSL writes it
        for (TestDer rest : sec1.subList(2, sec1.size())) {
            if (rest.tag() != 0xA0) {
                content.writeBytes(rest.encoded());
            }
        }
        return "-----BEGIN EC PARAMETERS-----\n" + Base64.getEncoder().encodeToString(curve) + "\n-----END EC PARAMETERS-----\n"
                + pem("EC PRIVATE KEY", TestDer.encode(0x30, content.toByteArray()));
    }

    /** @return a client context that trusts this certificate only */
    public SSLContext trustingClient() throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("relay", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
