package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import wormhole.testing.SelfSigned;

/**
 * The relay's own TLS end to end: {@code relay --tls-cert --tls-key} of the image serves two image
 * clients that trust its self-signed certificate through {@code ?trust=}; a client that does not
 * trust it fails at once; unusable files are a usage error.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class RelayTlsIT {
    private static final Duration RUN = Duration.ofSeconds(30);

    private Image image;
    private Path tmp;
    private SelfSigned rsa;
    private SelfSigned ec;
    private RelayProcess relay;
    private RelayPair pair;

    @BeforeAll
    void connect(@TempDir Path dir) throws Exception {
        tmp = dir;
        image = Image.locate();
        rsa = SelfSigned.make(dir, "rsa", "-keyalg", "RSA", "-keysize", "2048");
        ec = SelfSigned.make(dir, "ec", "-keyalg", "EC", "-groupname", "secp256r1");
        relay = RelayProcess.start(image, "--tls-cert", rsa.certificatePem().toString(), "--tls-key", rsa.keyPem().toString());
        pair = RelayPair.connected(image, tmp.resolve("rsa-pair"), trusting(relay, rsa), trusting(relay, rsa));
    }

    @AfterAll
    void stop() {
        if (pair != null) {
            pair.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    private static String trusting(RelayProcess relay, SelfSigned certificate) {
        return "wss://127.0.0.1:" + relay.port + "/ws?trust=" + certificate.certificatePem();
    }

    @Test
    void theRelaySaysItServesTls() {
        JsonNode started = RelayPair.first(relay.process, "relay_started");
        assertTrue(started.path("tls").asBoolean(), started::toString);
        assertEquals(relay.port, started.path("port").asInt());
    }

    @Test
    void textTravelsEachWayOverWss() {
        assertEquals("relay", RelayPair.first(pair.host, "channel").path("mode").asText());
        Pair.sent(pair.sendFromHost("hello over wss"));
        assertEquals("hello over wss", Json.parse(pair.peer.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());
        Pair.sent(pair.sendFromPeer("and back"));
        assertEquals("and back", Json.parse(pair.host.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());
    }

    @Test
    void aFileTravelsWhole() throws IOException {
        byte[] content = new byte[3 * 1024 * 1024];
        new Random(11).nextBytes(content);
        Path file = tmp.resolve("payload.bin");
        Files.write(file, content);
        Pair.sent(pair.sendFromPeer("--file", file.toString()));
        JsonNode got = Json.parse(pair.host.awaitLine(Json.type("file"), Pair.LINE));
        assertEquals("payload.bin", got.path("name").asText());
        assertArrayEquals(content, Files.readAllBytes(Path.of(got.path("saved_to").asText())));
    }

    @Test
    void clientsThatDoNotTrustTheCertificateFailAtOnceWithExit4() throws IOException {
        Path runtime = Files.createDirectories(tmp.resolve("stranger-rt"));
        String url = "wss://127.0.0.1:" + relay.port;
        for (String[] args : new String[][] {{"host", "--relay", url}, {"connect", "7-apple-banana-cherry", "--relay", url}}) {
            long start = System.nanoTime();
            Image.Result r = RelayPair.command(image, tmp, runtime, args).timeout(RUN).run();
            assertEquals(4, r.exitCode(), r::toString);
            JsonNode last = Json.parse(r.stdoutLines().get(r.stdoutLines().size() - 1));
            assertEquals("connection_failed", last.path("event").asText(), r::toString);
            assertTrue(last.path("detail").asText().contains("certification path"), r::toString);
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(15).toNanos(), "took too long: " + r);
        }
        assertTrue(relay.process.process().isAlive(), "the relay survived the strangers");
    }

    @Test
    void anEcKeyServesToo() throws IOException {
        try (RelayProcess ecRelay = RelayProcess.start(image, "--tls-cert", ec.certificatePem().toString(), "--tls-key", ec.keyPem().toString());
                RelayPair ecPair = RelayPair.connected(image, Files.createDirectories(tmp.resolve("ec-pair")),
                        trusting(ecRelay, ec), trusting(ecRelay, ec))) {
            Pair.sent(ecPair.sendFromHost("elliptic"));
            assertEquals("elliptic", Json.parse(ecPair.peer.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());
        }
    }

    @Test
    void unusableFilesAreAUsageErrorOnOneLine() throws IOException {
        Path garbage = Files.writeString(tmp.resolve("garbage.pem"), "not a certificate\n");
        String[][] cases = {
                {"--tls-cert", rsa.certificatePem().toString()},
                {"--tls-cert", tmp.resolve("missing.pem").toString(), "--tls-key", rsa.keyPem().toString()},
                {"--tls-cert", garbage.toString(), "--tls-key", rsa.keyPem().toString()},
                {"--tls-cert", rsa.certificatePem().toString(), "--tls-key", ec.keyPem().toString()},
        };
        String[] expected = {"--tls-cert and --tls-key go together", "no such file", "no -----BEGIN CERTIFICATE-----", "does not belong"};
        for (int i = 0; i < cases.length; i++) {
            String[] args = Stream.concat(Stream.of("relay", "--bind", "127.0.0.1", "--port", "0", "--admin-port", "-1"),
                    Stream.of(cases[i])).toArray(String[]::new);
            Image.Result r = image.command(args).timeout(RUN).run();
            assertEquals(2, r.exitCode(), r::toString);
            assertEquals(1, r.stdoutLines().size(), r::toString);
            JsonNode error = Json.parse(r.stdoutLines().get(0));
            assertEquals("usage", error.path("error").asText(), r::toString);
            assertTrue(error.path("detail").asText().contains(expected[i]), r::toString);
            assertEquals(1, r.stderr().strip().lines().count(), () -> "one stderr line, no stack trace: " + r);
        }
    }
}
