package wormhole.relayserver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import wormhole.testing.SelfSigned;
import wormhole.testing.TestClient;

/** The relay's own TLS: PEM files in, {@code wss://} out, and clear one-line failures for bad files. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RelayTlsTest {
    private static final int WAIT_SECONDS = 10;

    private Path dir;
    private SelfSigned rsa;
    private SelfSigned ec;

    @BeforeAll
    void certificates(@TempDir Path tmp) throws Exception {
        dir = tmp;
        rsa = SelfSigned.make(dir, "rsa", "-keyalg", "RSA", "-keysize", "2048");
        ec = SelfSigned.make(dir, "ec", "-keyalg", "EC", "-groupname", "secp256r1");
    }

    @Test
    void servesWssWithAnRsaPkcs8KeyAndForwardsFramesBetweenTwoTlsClients() throws Exception {
        try (Relays.Started relay = Relays.start(b -> b.tlsContext(load(rsa.certificatePem(), rsa.keyPem())))) {
            assertTrue(relay.log.stream().anyMatch(l -> l.startsWith("listening on wss://127.0.0.1:" + relay.port())),
                    relay.log::toString);
            Client host = Client.connect(relay.port(), rsa.trustingClient());
            host.send("{\"action\":\"join\",\"role\":\"host\",\"protocol\":2}");
            JsonNode welcome = host.text();
            assertEquals("welcome", welcome.path("type").asText(), welcome.toString());
            assertEquals("waiting", host.text().path("event").asText());

            Client peer = Client.connect(relay.port(), rsa.trustingClient());
            peer.send("{\"action\":\"join\",\"role\":\"peer\",\"code\":\"" + welcome.path("nameplate").asText() + "\",\"protocol\":2}");
            assertEquals("welcome", peer.text().path("type").asText());
            assertEquals("paired", peer.text().path("event").asText());
            assertEquals("paired", host.text().path("event").asText());

            byte[] frame = new byte[100_000];
            new Random(7).nextBytes(frame);
            host.send(frame);
            assertArrayEquals(frame, peer.binary());
            peer.send(new byte[] {4, 2});
            assertArrayEquals(new byte[] {4, 2}, host.binary());
            host.close();
            peer.close();
        }
    }

    @Test
    void healthProbesTheWssListenerOverTls() throws Exception {
        try (Relays.Started relay = Relays.start(b -> b.adminPort(0).tlsContext(load(ec.certificatePem(), ec.keyPem())))) {
            java.net.HttpURLConnection c = (java.net.HttpURLConnection) URI.create(
                    "http://127.0.0.1:" + relay.server.adminPort() + "/health").toURL().openConnection();
            c.setConnectTimeout(5000);
            c.setReadTimeout(5000);
            try {
                assertEquals(200, c.getResponseCode());
                assertEquals("ok", TestClient.JSON.readTree(c.getInputStream()).path("status").asText());
            } finally {
                c.disconnect();
            }
        }
    }

    @Test
    void aConnectionStalledInTheTlsHandshakeIsCutAtTheUpgradeDeadline() throws Exception {
        try (Relays.Started relay = Relays.start(b -> b.upgradeTimeout(java.time.Duration.ofMillis(300))
                .tlsContext(load(ec.certificatePem(), ec.keyPem())));
                java.net.Socket stalled = new java.net.Socket("127.0.0.1", relay.port())) {
            stalled.setSoTimeout(5000);
            stalled.getOutputStream().write(new byte[] {0x16, 0x03, 0x01}); // the start of a ClientHello
            // The relay may say goodbye with a TLS alert; then it must close (a read times out otherwise).
            byte[] sink = new byte[512];
            while (stalled.getInputStream().read(sink) >= 0) {
                assertEquals(0x15, sink[0], "the relay sent something other than a TLS alert");
            }
            assertEquals(1L, relay.refusalsReaching("upgrade_timeout", 1));
        }
    }

    @Test
    void servesAnEcPkcs8Key() throws Exception {
        assertServes(ec, ec.keyPem());
    }

    @Test
    void servesATraditionalRsaPkcs1Key() throws Exception {
        Path key = Files.writeString(dir.resolve("rsa-pkcs1.pem"), rsa.traditionalKeyPem());
        assertTrue(Files.readString(key).contains("-----BEGIN RSA PRIVATE KEY-----"));
        assertServes(rsa, key);
    }

    @Test
    void servesATraditionalEcSec1KeyAfterItsParameters() throws Exception {
        Path key = Files.writeString(dir.resolve("ec-sec1.pem"), ec.traditionalKeyPem());
        assertTrue(Files.readString(key).contains("-----BEGIN EC PRIVATE KEY-----"));
        assertServes(ec, key);
    }

    @Test
    void servesAnEd25519Key() throws Exception {
        SelfSigned ed = SelfSigned.make(dir, "ed25519", "-keyalg", "Ed25519");
        assertServes(ed, ed.keyPem());
    }

    @Test
    void oneFileMayHoldTheKeyAndTheCertificate() throws Exception {
        Path both = Files.writeString(dir.resolve("both.pem"),
                Files.readString(ec.keyPem()) + "some text between blocks\n" + Files.readString(ec.certificatePem()));
        assertServes(ec, both, both);
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefusedQuickly() throws Exception {
        try (Relays.Started relay = Relays.start(b -> b.tlsContext(load(rsa.certificatePem(), rsa.keyPem())))) {
            Client stranger = new Client(URI.create("wss://127.0.0.1:" + relay.port() + "/ws"), SSLContext.getDefault());
            assertFalse(stranger.connectBlocking(WAIT_SECONDS, TimeUnit.SECONDS), "an untrusted certificate was accepted");
            // The library may report the close before the TLS error, which comes from its write thread.
            Exception error = stranger.errors.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertTrue(error instanceof SSLException, () -> "expected a TLS failure, got " + error);

            Client plain = new Client(URI.create("ws://127.0.0.1:" + relay.port() + "/ws"), null);
            assertFalse(plain.connectBlocking(WAIT_SECONDS, TimeUnit.SECONDS), "plain ws was served on the wss port");

            // Neither failure hurt the relay.
            Client trusting = Client.connect(relay.port(), rsa.trustingClient());
            trusting.send("{\"action\":\"join\",\"role\":\"host\",\"protocol\":2}");
            assertEquals("welcome", trusting.text().path("type").asText());
            trusting.close();
        }
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.pem");
        assertFailure("TLS certificate file " + missing + ": no such file", missing, rsa.keyPem());
        assertFailure("TLS key file " + missing + ": no such file", rsa.certificatePem(), missing);
    }

    @Test
    void garbageIsNotACertificateOrAKey() throws IOException {
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "hello, I am not PEM\n");
        assertFailure("TLS certificate file " + garbage + ": no -----BEGIN CERTIFICATE----- block", garbage, rsa.keyPem());
        assertFailure("TLS key file " + garbage + ": no private key", rsa.certificatePem(), garbage);

        Path badBase64 = Files.writeString(dir.resolve("bad64.pem"), "-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n");
        assertFailure("TLS certificate file " + badBase64 + ": the CERTIFICATE block is not valid base64", badBase64, rsa.keyPem());
        Path notACert = Files.writeString(dir.resolve("notcert.pem"), SelfSigned.pem("CERTIFICATE", new byte[] {0x30, 3, 2, 1, 0}));
        assertFailure("TLS certificate file " + notACert + ": certificate 1 cannot be parsed", notACert, rsa.keyPem());
        Path unterminated = Files.writeString(dir.resolve("cut.pem"), Files.readString(rsa.keyPem()).replace("-----END PRIVATE KEY-----", ""));
        assertFailure("TLS key file " + unterminated + ": the PRIVATE KEY block has no END line", rsa.certificatePem(), unterminated);
        Path notAKey = Files.writeString(dir.resolve("notkey.pem"), SelfSigned.pem("PRIVATE KEY", new byte[] {0x30, 3, 2, 1, 0}));
        assertFailure("TLS key file " + notAKey + ": the PRIVATE KEY block is not a valid key", rsa.certificatePem(), notAKey);
    }

    @Test
    void aKeyThatDoesNotBelongToTheCertificateIsRefused() throws Exception {
        SelfSigned other = SelfSigned.make(dir, "other", "-keyalg", "RSA", "-keysize", "2048");
        assertFailure("the TLS key in " + other.keyPem() + " does not belong to the first certificate in " + rsa.certificatePem(),
                rsa.certificatePem(), other.keyPem());
        assertFailure("the TLS key in " + ec.keyPem() + " does not belong", rsa.certificatePem(), ec.keyPem());
    }

    @Test
    void anEncryptedKeyIsRefusedByName() throws IOException {
        Path pkcs8 = Files.writeString(dir.resolve("enc8.pem"), SelfSigned.pem("ENCRYPTED PRIVATE KEY", new byte[] {0x30, 0}));
        assertFailure("TLS key file " + pkcs8 + ": the private key is encrypted", rsa.certificatePem(), pkcs8);
        Path traditional = Files.writeString(dir.resolve("enc1.pem"), "-----BEGIN RSA PRIVATE KEY-----\n"
                + "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertFailure("TLS key file " + traditional + ": the private key is encrypted", rsa.certificatePem(), traditional);
    }

    @Test
    void plainIsTheDefault() {
        assertNull(RelayConfig.builder().build().tlsContext());
    }

    private static SSLContext load(Path certificate, Path key) {
        try {
            return RelayTls.fromPem(certificate, key);
        } catch (IOException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    private static void assertFailure(String expectedStart, Path certificate, Path key) {
        IOException e = assertThrows(IOException.class, () -> RelayTls.fromPem(certificate, key));
        assertTrue(e.getMessage().startsWith(expectedStart), () -> "expected <" + expectedStart + "...>, got <" + e.getMessage() + ">");
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    private void assertServes(SelfSigned identity, Path key) throws Exception {
        assertServes(identity, identity.certificatePem(), key);
    }

    /** Starts a relay with the files and checks a client trusting the certificate gets through the join. */
    private void assertServes(SelfSigned identity, Path certificate, Path key) throws Exception {
        try (Relays.Started relay = Relays.start(b -> b.tlsContext(load(certificate, key)))) {
            Client host = Client.connect(relay.port(), identity.trustingClient());
            assertEquals(identity.key().getAlgorithm(), ((X509Certificate) host.getSSLSession()
                    .getPeerCertificates()[0]).getPublicKey().getAlgorithm());
            host.send("{\"action\":\"join\",\"role\":\"host\",\"protocol\":2}");
            assertEquals("welcome", host.text().path("type").asText());
            host.close();
        }
    }

    /** A WebSocket client with its own TLS context, collecting what it receives. */
    private static final class Client extends WebSocketClient {
        private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
        final BlockingQueue<Exception> errors = new LinkedBlockingQueue<>();

        Client(URI uri, SSLContext tls) {
            super(uri);
            setConnectionLostTimeout(0);
            if (tls != null) {
                setSocketFactory(tls.getSocketFactory());
            }
        }

        static Client connect(int port, SSLContext tls) throws InterruptedException {
            Client c = new Client(URI.create("wss://127.0.0.1:" + port + "/ws"), tls);
            assertTrue(c.connectBlocking(WAIT_SECONDS, TimeUnit.SECONDS), () -> "connect: " + c.errors);
            return c;
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
        }

        @Override
        public void onMessage(String message) {
            if (!message.startsWith("{\"type\":\"ack\"")) {
                inbox.add(message);
            }
        }

        @Override
        public void onMessage(ByteBuffer bytes) {
            byte[] b = new byte[bytes.remaining()];
            bytes.get(b);
            inbox.add(b);
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
        }

        @Override
        public void onError(Exception ex) {
            errors.add(ex);
        }

        private Object next() throws InterruptedException {
            Object o = inbox.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(o, "nothing within " + WAIT_SECONDS + " s");
            return o;
        }

        JsonNode text() throws InterruptedException, IOException {
            Object o = next();
            assertTrue(o instanceof String, () -> "expected text, got " + o);
            return TestClient.JSON.readTree((String) o);
        }

        byte[] binary() throws InterruptedException {
            Object o = next();
            assertTrue(o instanceof byte[], () -> "expected binary, got " + o);
            return (byte[]) o;
        }
    }
}
