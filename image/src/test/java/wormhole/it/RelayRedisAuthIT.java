package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import wormhole.testing.SelfSigned;

/**
 * Relays on a Redis that asks for a password, and on {@code rediss://} (TLS) with a self-signed
 * certificate: the password given in the URL or only in {@code AGENT_WORMHOLE_RELAY_REDIS}, a pair
 * split across two such relays, a wrong or missing password and an untrusted certificate or wrong host
 * name stopping the relay at start with a clear error (a Redis not reachable yet does not: the relay
 * starts with an unhealthy {@code /health}), and the password never printed. Skips when the
 * machine has no {@code redis-server} (or, for TLS, one without TLS support).
 */
@Timeout(180)
class RelayRedisAuthIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String ENV = "AGENT_WORMHOLE_RELAY_REDIS";

    @TempDir
    Path tmp;

    /** A password with characters that must be percent-encoded in a URL, and a random part to search logs for. */
    private static String password() {
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        return "Pw+" + HexFormat.of().formatHex(random) + ":@/%";
    }

    @Test
    void aPasswordInTheUrlOrOnlyInTheVariableLetsTwoRelaysShareAPairAndIsNeverPrinted() throws Exception {
        Image image = Image.locate();
        String password = password();
        List<String> printed = new ArrayList<>();
        try (RedisServer redis = RedisServer.start(tmp.resolve("redis"), password, null, null)) {
            RelayProcess a = RelayProcess.start(image, "--verbose", "--redis", redis.url());
            RelayProcess b = RelayProcess.withEnv(image, ENV, redis.url(), "--verbose");
            try (a; b; RelayPair p = RelayPair.connected(image, tmp, a.url(), b.url())) {
                exchange(p);
                assertEquals(200, b.health().statusCode(), "the relay of the variable is healthy");
                Image.Result closed = RelayPair.command(image, tmp, p.hostRuntime, "close", p.code).run();
                assertEquals(0, closed.exitCode(), closed::toString);
                p.peer.awaitLine(Json.status("closed"), WAIT);
                a.terminate();
                b.terminate();
                assertEquals(0, a.process.waitFor(WAIT));
                assertEquals(0, b.process.waitFor(WAIT));
                printed.add(a.process.stderr(WAIT));
                printed.add(b.process.stderr(WAIT));
            }
            assertTrue(printed.get(0).contains("listening on"), () -> "the relay's log was read: " + printed);
            assertNeverPrinted(password, printed);
        }
    }

    @Test
    void aWrongOrMissingPasswordStopsTheRelayAtStartWithAClearErrorThatDoesNotPrintIt() throws Exception {
        Image image = Image.locate();
        String password = password();
        try (RedisServer redis = RedisServer.start(tmp.resolve("redis"), password, null, null)) {
            String wrong = password();
            String wrongUrl = redis.url().replace(URLEncoder.encode(password, StandardCharsets.UTF_8),
                    URLEncoder.encode(wrong, StandardCharsets.UTF_8));
            Image.Result inFlag = image.command(relay("--redis", wrongUrl)).run();
            Image.Result inVariable = image.command(relay()).env(ENV, wrongUrl).run();
            Image.Result none = image.command(relay("--redis", "redis://127.0.0.1:" + redis.port)).run();
            for (Image.Result r : List.of(inFlag, inVariable)) {
                JsonNode error = failedAtStart(r);
                assertTrue(error.path("detail").asText().contains("WRONGPASS"), r::toString);
                assertNeverPrinted(wrong, List.of(r.stdout(), r.stderr()));
                assertNeverPrinted(password, List.of(r.stdout(), r.stderr()));
            }
            assertTrue(failedAtStart(none).path("detail").asText().contains("NOAUTH"), none::toString);
        }
    }

    @Test
    void aRedisNotReachableYetLetsTheRelayStartUnhealthyWithoutPrintingThePassword() throws Exception {
        Image image = Image.locate();
        String password = password();
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = probe.getLocalPort();
        }
        String url = "redis://:" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@127.0.0.1:" + closed;
        try (RelayProcess r = RelayProcess.withEnv(image, ENV, url)) {
            HttpResponse<String> health = r.health();
            assertEquals(503, health.statusCode(), health::body);
            assertTrue(health.body().contains("redis"), health::body);
            r.terminate();
            assertEquals(0, r.process.waitFor(WAIT));
            assertNeverPrinted(password, List.of(health.body(), r.process.stderr(WAIT)));
        }
    }

    @Test
    void aPairExchangesTextsThroughRelaysOnRedissThatTrustItsCertificate() throws Exception {
        Image image = Image.locate();
        SelfSigned certificate = SelfSigned.make(Files.createDirectories(tmp.resolve("pki")), "redis",
                "-keyalg", "RSA", "-keysize", "2048");
        String password = password();
        try (RedisServer redis = RedisServer.start(tmp.resolve("redis"), password,
                certificate.certificatePem(), certificate.keyPem())) {
            Path pem = certificate.certificatePem();
            RelayProcess a = RelayProcess.start(image, "--redis", redis.tlsUrl(), "--redis-trust", pem.toString());
            RelayProcess b = RelayProcess.withEnv(image, ENV, redis.tlsUrl() + "?trust=" + pem);
            try (a; b; RelayPair p = RelayPair.connected(image, tmp, a.url(), b.url())) {
                exchange(p);
                // The relays' connections are on Redis's TLS port.
                assertTrue(redis.cli("CLIENT", "LIST").stream().filter(l -> l.contains("name=agent-wormhole-relay"))
                        .anyMatch(l -> l.contains("laddr=127.0.0.1:" + redis.tlsPort)), "the relays use the TLS port");
            }

            Image.Result untrusted = image.command(relay("--redis", redis.tlsUrl())).run();
            String detail = failedAtStart(untrusted).path("detail").asText();
            assertTrue(detail.contains("rediss://127.0.0.1:" + redis.tlsPort) && detail.contains("PKIX"), untrusted::toString);
            assertNeverPrinted(password, List.of(untrusted.stdout(), untrusted.stderr()));

            // Host names are checked: the certificate is for 127.0.0.1 and localhost, not 127.0.0.2.
            Image.Result otherName = image.command(relay("--redis", redis.tlsUrl().replace("127.0.0.1", "127.0.0.2"),
                    "--redis-trust", pem.toString())).run();
            assertTrue(failedAtStart(otherName).path("detail").asText().contains("127.0.0.2"), otherName::toString);

            Image.Result missing = image.command(relay("--redis", redis.tlsUrl(), "--redis-trust",
                    tmp.resolve("missing.pem").toString())).run();
            assertTrue(failedAtStart(missing).path("detail").asText().contains("missing.pem"), missing::toString);
        }
    }

    private static String[] relay(String... extra) {
        List<String> args = new ArrayList<>(List.of("relay", "--bind", "127.0.0.1", "--port", "0", "--admin-port", "0"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    /** @return the error line of a relay that stopped at start because of its Redis */
    private static JsonNode failedAtStart(Image.Result r) {
        assertNotEquals(0, r.exitCode(), r::toString);
        assertFalse(r.stdout().contains("relay_started"), r::toString);
        assertFalse(r.stderr().contains("\tat ") || r.stdout().contains("\tat "), () -> "a stack trace: " + r);
        JsonNode error = r.stdout().lines().map(Json::parse).filter(j -> "error".equals(j.path("event").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no error line: " + r));
        assertEquals("redis", error.path("error").asText(), r::toString);
        assertTrue(error.path("detail").asText().contains("cannot use its Redis") || error.path("detail").asText().contains("trust"),
                r::toString);
        assertTrue(r.stderr().contains(error.path("detail").asText().substring(0, 20)), () -> "said on stderr too: " + r);
        return error;
    }

    private static void exchange(RelayPair p) {
        for (int i = 0; i < 2; i++) {
            Pair.sent(p.sendFromHost("h-" + i));
            assertEquals("h-" + i, Json.parse(p.peer.awaitLine(Json.type("text"), WAIT)).path("body").asText());
            Pair.sent(p.sendFromPeer("p-" + i));
            assertEquals("p-" + i, Json.parse(p.host.awaitLine(Json.type("text"), WAIT)).path("body").asText());
        }
    }

    /** The password, its random part or its encoded form appear in none of these texts. */
    private static void assertNeverPrinted(String password, List<String> texts) {
        String random = password.substring(3, 19);
        for (String t : texts) {
            assertFalse(t.contains(random), () -> "the password was printed: " + t);
        }
    }
}
