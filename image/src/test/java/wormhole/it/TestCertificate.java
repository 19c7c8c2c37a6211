package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made at test time by the JDK's keytool and
 * written as PEM files: the certificate, and its private key as PKCS#8.
 *
 * @param certificate the certificate file
 * @param key         the private key file
 */
record TestCertificate(Path certificate, Path key) {
    private static final String PASSWORD = "test-only";

    /**
     * @param dir     where the files go
     * @param name    a prefix for them
     * @param keyArgs keytool's key options, such as {@code -keyalg RSA -keysize 2048}
     */
    static TestCertificate make(Path dir, String name, String... keyArgs) throws IOException, GeneralSecurityException {
        Path store = dir.resolve(name + ".p12");
        List<String> gen = new ArrayList<>(List.of("-genkeypair", "-alias", "relay", "-dname", "CN=localhost",
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2"));
        gen.addAll(List.of(keyArgs));
        keytool(store, gen);
        Path certificate = dir.resolve(name + "-cert.pem");
        keytool(store, List.of("-exportcert", "-rfc", "-alias", "relay", "-file", certificate.toString()));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        Key key = ks.getKey("relay", PASSWORD.toCharArray());
        Path keyFile = dir.resolve(name + "-key.pem");
        Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        return new TestCertificate(certificate, keyFile);
    }

    private static void keytool(Path store, List<String> args) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD, "-noprompt"));
        Image.Result r = Image.program(Path.of(System.getProperty("java.home"), "bin", "keytool"), all.toArray(String[]::new))
                .timeout(Duration.ofSeconds(60)).run();
        assertEquals(0, r.exitCode(), r::toString);
    }
}
