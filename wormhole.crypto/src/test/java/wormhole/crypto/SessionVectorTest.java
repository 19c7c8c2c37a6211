package wormhole.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static wormhole.crypto.Vectors.hex;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import wormhole.crypto.internal.AesGcm;
import wormhole.crypto.internal.BcAesGcm;
import wormhole.crypto.internal.JdkAesGcm;

/** Every case of session-v1.json: handshake, direction keys, and every frame byte for byte. */
class SessionVectorTest {
    private static final String FILE = "session-v1.json";

    static Stream<Arguments> cases() {
        return Vectors.each(FILE, "cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void handshakeAndKeysMatch(String name, JsonNode c) throws CryptoException {
        byte[] password = c.get("code").asText().getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(hex(c, "password_hex"), password);
        Spake2 host = Spake2.startWithEntropy(Side.HOST, password, hex(c, "entropy_a_hex"));
        Spake2 peer = Spake2.startWithEntropy(Side.PEER, password, hex(c, "entropy_b_hex"));
        assertEquals(c.get("msg_a_hex").asText(), hex(host.outboundMessage()));
        assertEquals(c.get("msg_b_hex").asText(), hex(peer.outboundMessage()));
        try (SharedSecret hostSecret = host.finish(peer.outboundMessage());
                SharedSecret peerSecret = peer.finish(host.outboundMessage())) {
            assertEquals(c.get("shared_secret_hex").asText(), hex(hostSecret.bytes()));
            assertEquals(c.get("shared_secret_hex").asText(), hex(peerSecret.bytes()));
            assertEquals(c.get("host_to_peer_key_hex").asText(),
                    hex(hostSecret.directionKey("host-to-peer".getBytes(StandardCharsets.US_ASCII))));
            assertEquals(c.get("peer_to_host_key_hex").asText(),
                    hex(hostSecret.directionKey("peer-to-host".getBytes(StandardCharsets.US_ASCII))));
            assertEquals(hostSecret.verifier(), peerSecret.verifier());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sessionsReproduceAndOpenEveryFrame(String name, JsonNode c) throws CryptoException {
        Spake2 host = Spake2.startWithEntropy(Side.HOST, hex(c, "password_hex"), hex(c, "entropy_a_hex"));
        Spake2 peer = Spake2.startWithEntropy(Side.PEER, hex(c, "password_hex"), hex(c, "entropy_b_hex"));
        byte[] hostMessage = host.outboundMessage();
        FrameSession hostSession;
        FrameSession peerSession;
        try (SharedSecret hostSecret = host.finish(peer.outboundMessage());
                SharedSecret peerSecret = peer.finish(hostMessage)) {
            hostSession = hostSecret.sessionFor(Side.HOST);
            peerSession = peerSecret.sessionFor(Side.PEER);
        }
        int encrypted = 0;
        try (hostSession; peerSession) {
            for (JsonNode frame : c.get("frames")) {
                if (!frame.has("counter")) {
                    continue;
                }
                boolean fromHost = frame.get("from").asText().equals("host");
                FrameSession sender = fromHost ? hostSession : peerSession;
                FrameSession receiver = fromHost ? peerSession : hostSession;
                byte[] payload = sender.seal(hex(frame, "plaintext_hex"));
                assertEquals(frame.get("payload_hex").asText(), hex(payload), "frame " + frame.get("seq"));
                assertArrayEquals(hex(frame, "plaintext_hex"), receiver.open(hex(frame, "payload_hex")));
                encrypted++;
            }
        }
        assertEquals(4, encrypted, "every case has four encrypted frames");
    }

    static Stream<Arguments> ciphers() {
        Function<byte[], AesGcm> jdk = JdkAesGcm::new;
        Function<byte[], AesGcm> bc = BcAesGcm::new;
        return Stream.of(Arguments.of("jdk", jdk), Arguments.of("bcprov", bc));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ciphers")
    void bothGcmImplementationsMatchEveryFrame(String name, Function<byte[], AesGcm> factory) throws Exception {
        for (JsonNode c : Vectors.load(FILE).get("cases")) {
            for (JsonNode frame : c.get("frames")) {
                if (!frame.has("counter")) {
                    continue;
                }
                String keyField = frame.get("key").asText().equals("host-to-peer")
                        ? "host_to_peer_key_hex" : "peer_to_host_key_hex";
                AesGcm gcm = factory.apply(hex(c, keyField));
                byte[] nonce = hex(frame, "nonce_hex");
                byte[] plaintext = hex(frame, "plaintext_hex");
                byte[] sealed = new byte[plaintext.length + AesGcm.TAG_LENGTH];
                gcm.seal(nonce, plaintext, 0, plaintext.length, sealed, 0);
                assertEquals(frame.get("ciphertext_hex").asText() + frame.get("tag_hex").asText(), hex(sealed));
                byte[] opened = new byte[plaintext.length];
                gcm.open(nonce, sealed, 0, sealed.length, opened, 0);
                assertArrayEquals(plaintext, opened);
                gcm.destroy();
            }
        }
    }
}
