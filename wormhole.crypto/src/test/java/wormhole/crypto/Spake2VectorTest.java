package wormhole.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static wormhole.crypto.Vectors.hex;

import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import wormhole.crypto.internal.Ed25519;
import wormhole.crypto.internal.ScalarModL;
import wormhole.crypto.internal.Spake2Exchange;

/** Every case of spake2-v1.json: exchanges, refused messages, and the messages we refuse stricter. */
class Spake2VectorTest {
    private static final String FILE = "spake2-v1.json";

    static Stream<Arguments> cases() {
        return Vectors.each(FILE, "cases");
    }

    static Stream<Arguments> rejects() {
        return Vectors.each(FILE, "reject");
    }

    static Stream<Arguments> referenceAcceptsMalformed() {
        return Vectors.each(FILE, "reference_accepts_malformed");
    }

    @Test
    void blindingPointsAndBaseMatchTheReference() {
        JsonNode params = Vectors.load(FILE).get("params");
        assertEquals(params.get("M_hex").asText(), hex(Ed25519.arbitraryElementEncoding("M")));
        assertEquals(params.get("N_hex").asText(), hex(Ed25519.arbitraryElementEncoding("N")));
        assertEquals(params.get("S_unused").get("element_hex").asText(),
                hex(Ed25519.arbitraryElementEncoding("symmetric")));
        assertEquals(params.get("L_dec").asText(), Ed25519.L.toString());
        assertEquals(params.get("q_dec").asText(), Ed25519.Q.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void scalarsMatchTheReference(String name, JsonNode c) {
        assertEquals(c.get("pw_scalar_a_hex_le").asText(), hex(Spake2Exchange.passwordScalar(hex(c, "password_a_hex"))));
        assertEquals(c.get("pw_scalar_b_hex_le").asText(), hex(Spake2Exchange.passwordScalar(hex(c, "password_b_hex"))));
        assertEquals(c.get("x_scalar_hex_le").asText(), hex(ScalarModL.reduce(hex(c, "entropy_a_hex"))));
        assertEquals(c.get("y_scalar_hex_le").asText(), hex(ScalarModL.reduce(hex(c, "entropy_b_hex"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exchangeMatchesTheReference(String name, JsonNode c) throws CryptoException {
        Spake2 a = Spake2.startWithEntropy(Side.HOST, hex(c, "password_a_hex"), hex(c, "entropy_a_hex"));
        Spake2 b = Spake2.startWithEntropy(Side.PEER, hex(c, "password_b_hex"), hex(c, "entropy_b_hex"));
        assertEquals(c.get("msg_a_hex").asText(), hex(a.outboundMessage()));
        assertEquals(c.get("msg_b_hex").asText(), hex(b.outboundMessage()));

        try (SharedSecret keyA = a.finish(b.outboundMessage()); SharedSecret keyB = b.finish(a.outboundMessage())) {
            assertEquals(c.get("key_a_hex").asText(), hex(keyA.bytes()));
            assertEquals(c.get("key_b_hex").asText(), hex(keyB.bytes()));
            if (c.get("keys_equal").asBoolean()) {
                assertArrayEquals(keyA.bytes(), keyB.bytes());
                assertEquals(keyA.verifier(), keyB.verifier());
            } else {
                assertNotEquals(hex(keyA.bytes()), hex(keyB.bytes()));
                assertNotEquals(keyA.verifier(), keyB.verifier());
            }
        }
        assertTrue(Secrets.wiped(a), "side A's scalars are wiped after finish");
        assertTrue(Secrets.wiped(b), "side B's scalars are wiped after finish");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejects")
    void refusesMalformedInbound(String name, JsonNode r) {
        refuse(r);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("referenceAcceptsMalformed")
    void refusesWhatTheReferenceLenientlyAccepts(String name, JsonNode r) {
        refuse(r);
    }

    /** What the refusal must say for each class of malformed message, by vector name. */
    private static final Map<String, String> REASONS = Map.ofEntries(
            Map.entry("empty", "expected 33 bytes"),
            Map.entry("side-byte-only", "expected 33 bytes"),
            Map.entry("truncated-33-to-32", "expected 33 bytes"),
            Map.entry("trailing-byte", "expected 33 bytes"),
            Map.entry("32-byte-message", "expected 33 bytes"),
            Map.entry("unknown-side-byte", "unknown side byte"),
            Map.entry("lowercase-side-byte", "unknown side byte"),
            Map.entry("symmetric-side-byte", "unknown side byte"),
            Map.entry("same-side", "our own side"),
            Map.entry("off-curve", "not a point on the curve"),
            Map.entry("identity", "identity"),
            Map.entry("order-2-point", "small order"),
            Map.entry("order-4-point", "small order"),
            Map.entry("order-8-point", "small order"),
            Map.entry("outside-subgroup", "not in the prime-order subgroup"),
            Map.entry("reflection", "reflection"),
            Map.entry("identity-sign-bit", "sign bit set for x = 0"),
            Map.entry("identity-y-plus-q", "y >= q"),
            Map.entry("identity-y-plus-q-sign-bit", "y >= q"));

    private static void refuse(JsonNode r) {
        Side side = r.get("side").asText().equals("A") ? Side.HOST : Side.PEER;
        Spake2 own = Spake2.startWithEntropy(side, r.get("password_utf8").asText().getBytes(
                java.nio.charset.StandardCharsets.UTF_8), hex(r, "entropy_hex"));
        assertEquals(r.get("own_msg_hex").asText(), hex(own.outboundMessage()));
        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> own.finish(hex(r, "inbound_hex")));
        assertTrue(e.getMessage().startsWith("SPAKE2 message refused: "), e.getMessage());
        String reason = REASONS.get(r.get("name").asText());
        assertNotNull(reason, "no expected reason for vector " + r.get("name"));
        assertTrue(e.getMessage().contains(reason), e.getMessage() + " should say: " + reason);
        assertTrue(Secrets.wiped(own), "scalars are wiped after a refusal too");
        // A listener's first-frame check refuses the same messages; a reflected element is well formed
        // on its own (only the exchange that sent it can tell).
        Side sender = side == Side.HOST ? Side.PEER : Side.HOST;
        assertEquals(r.get("name").asText().equals("reflection"), Spake2.isWellFormed(hex(r, "inbound_hex"), sender),
                r.get("name").asText());
    }
}
