package wormhole.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import org.junit.jupiter.api.Test;

/** Behaviour of the public SPAKE2 API beyond the known answers. */
class Spake2Test {
    private static final String KNOWN_VERIFIER = "7117 5007 3990 8574";
    private static final byte[] CODE = "4242-apple-banana-cherry".getBytes(StandardCharsets.UTF_8);

    @Test
    void randomExchangesAgreeAndDifferEachTime() throws CryptoException {
        SecureRandom random = new SecureRandom();
        byte[] first;
        try (SharedSecret a = exchange(random)[0]) {
            first = a.bytes();
        }
        try (SharedSecret a = exchange(random)[0]) {
            assertNotEquals(Vectors.hex(first), Vectors.hex(a.bytes()));
        }
    }

    private static SharedSecret[] exchange(SecureRandom random) throws CryptoException {
        Spake2 host = Spake2.start(Side.HOST, CODE, random);
        Spake2 peer = Spake2.start(Side.PEER, CODE, random);
        SharedSecret h = host.finish(peer.outboundMessage());
        SharedSecret p = peer.finish(host.outboundMessage());
        assertArrayEquals(h.bytes(), p.bytes());
        p.close();
        return new SharedSecret[] {h};
    }

    @Test
    void outboundMessageIsSideByteThenElement() {
        Spake2 host = Spake2.start(Side.HOST, CODE, new SecureRandom());
        Spake2 peer = Spake2.start(Side.PEER, CODE, new SecureRandom());
        assertEquals(33, host.outboundMessage().length);
        assertEquals(0x41, host.outboundMessage()[0]);
        assertEquals(0x42, peer.outboundMessage()[0]);
    }

    @Test
    void aRealMessageIsWellFormedOnlyFromItsOwnSide() {
        byte[] fromPeer = Spake2.start(Side.PEER, CODE, new SecureRandom()).outboundMessage();
        assertTrue(Spake2.isWellFormed(fromPeer, Side.PEER));
        assertFalse(Spake2.isWellFormed(fromPeer, Side.HOST));
        assertFalse(Spake2.isWellFormed(java.util.Arrays.copyOf(fromPeer, 32), Side.PEER));
        assertFalse(Spake2.isWellFormed(null, Side.PEER));
    }

    @Test
    void finishIsSingleUse() throws CryptoException {
        Spake2 host = Spake2.start(Side.HOST, CODE, new SecureRandom());
        Spake2 peer = Spake2.start(Side.PEER, CODE, new SecureRandom());
        host.finish(peer.outboundMessage()).close();
        assertTrue(Secrets.wiped(host));
        assertThrows(IllegalStateException.class, () -> host.finish(peer.outboundMessage()));
    }

    @Test
    void verifierIsSixteenDigitsInFourGroups() throws CryptoException {
        SharedSecret secret = exchange(new SecureRandom())[0];
        try (secret) {
            assertTrue(secret.verifier().matches("\\d{4} \\d{4} \\d{4} \\d{4}"), secret.verifier());
        }
    }

    @Test
    void verifierOfAKnownSecretIsFixed() {
        // HKDF-SHA256(ikm = 32 zero bytes, no salt, info "agent-wormhole verifier v1", 10 bytes),
        // big-endian mod 10^16, computed independently with Python's hmac/hashlib.
        try (SharedSecret secret = new SharedSecret(new byte[32])) {
            assertEquals(KNOWN_VERIFIER, secret.verifier());
        }
    }
}
