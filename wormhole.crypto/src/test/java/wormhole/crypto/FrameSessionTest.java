package wormhole.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** Failure paths of the frame session: tampering, replay, wrong key, exhaustion, close. */
class FrameSessionTest {
    private static final byte[] HOST_TO_PEER = filled(1);
    private static final byte[] PEER_TO_HOST = filled(2);

    private static byte[] filled(int value) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) value);
        return key;
    }

    private static FrameSession host() {
        return FrameSession.of(HOST_TO_PEER, PEER_TO_HOST);
    }

    private static FrameSession peer() {
        return FrameSession.of(PEER_TO_HOST, HOST_TO_PEER);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void framesRoundTripInOrderBothWays() throws CryptoException {
        try (FrameSession host = host(); FrameSession peer = peer()) {
            for (int i = 0; i < 5; i++) {
                assertArrayEquals(utf8("to peer " + i), peer.open(host.seal(utf8("to peer " + i))));
                assertArrayEquals(utf8("to host " + i), host.open(peer.seal(utf8("to host " + i))));
            }
            assertArrayEquals(new byte[0], peer.open(host.seal(new byte[0])));
        }
    }

    @Test
    void offsetVariantsSealAndOpenPartOfAnArray() throws CryptoException {
        try (FrameSession host = host(); FrameSession peer = peer()) {
            byte[] source = utf8("xxhello worldyy");
            byte[] frame = new byte[3 + 11 + FrameSession.TAG_LENGTH];
            assertEquals(11 + FrameSession.TAG_LENGTH, host.seal(source, 2, 11, frame, 3));
            byte[] out = new byte[20];
            assertEquals(11, peer.open(frame, 3, 11 + FrameSession.TAG_LENGTH, out, 4));
            assertEquals("hello world", new String(out, 4, 11, StandardCharsets.UTF_8));
        }
    }

    @Test
    void tamperedFrameIsRefusedAndEndsTheSession() throws CryptoException {
        try (FrameSession host = host(); FrameSession peer = peer()) {
            byte[] frame = host.seal(utf8("pay 10 coins"));
            frame[3] ^= 0x01;
            assertThrows(FrameAuthenticationException.class, () -> peer.open(frame));
            byte[] honest = host.seal(utf8("next"));
            CryptoException after = assertThrows(FrameAuthenticationException.class, () -> peer.open(honest));
            assertTrue(after.getMessage().contains("earlier frame"), after.getMessage());
        }
    }

    @Test
    void tamperedTagIsRefused() throws CryptoException {
        try (FrameSession host = host(); FrameSession peer = peer()) {
            byte[] frame = host.seal(utf8("hello"));
            frame[frame.length - 1] ^= (byte) 0x80;
            assertThrows(FrameAuthenticationException.class, () -> peer.open(frame));
        }
    }

    @Test
    void failedOpenLeavesNoPlaintextInTheCallersBuffer() throws CryptoException {
        try (FrameSession host = host(); FrameSession peer = peer()) {
            byte[] frame = host.seal(utf8("secret text"));
            frame[0] ^= 0x01;
            byte[] out = new byte[11];
            Arrays.fill(out, (byte) 0x55);
            assertThrows(FrameAuthenticationException.class, () -> peer.open(frame, 0, frame.length, out, 0));
            assertArrayEquals(new byte[11], out);
        }
    }

    @Test
    void replayedFrameIsRefused() throws CryptoException {
        try (FrameSession host = host(); FrameSession peer = peer()) {
            byte[] first = host.seal(utf8("once"));
            assertArrayEquals(utf8("once"), peer.open(first));
            assertThrows(FrameAuthenticationException.class, () -> peer.open(first));
        }
    }

    @Test
    void reorderedFrameIsRefused() throws CryptoException {
        try (FrameSession host = host(); FrameSession peer = peer()) {
            host.seal(utf8("first"));
            byte[] second = host.seal(utf8("second"));
            assertThrows(FrameAuthenticationException.class, () -> peer.open(second));
        }
    }

    @Test
    void frameShorterThanTheTagIsRefused() {
        try (FrameSession peer = peer()) {
            assertThrows(FrameAuthenticationException.class, () -> peer.open(new byte[15]));
        }
    }

    @Test
    void ownDirectionKeyCannotOpenOwnFrames() throws CryptoException {
        try (FrameSession host = host(); FrameSession otherHost = host()) {
            byte[] frame = host.seal(utf8("to peer"));
            assertThrows(FrameAuthenticationException.class, () -> otherHost.open(frame));
        }
    }

    @Test
    void wrongPasswordGivesKeysThatCannotOpenFrames() throws CryptoException {
        SecureRandom random = new SecureRandom();
        Spake2 host = Spake2.start(Side.HOST, utf8("4242-apple-banana-cherry"), random);
        Spake2 peer = Spake2.start(Side.PEER, utf8("4242-apple-banana-cherri"), random);
        try (SharedSecret hostSecret = host.finish(peer.outboundMessage());
                SharedSecret peerSecret = peer.finish(host.outboundMessage());
                FrameSession hostSession = hostSecret.sessionFor(Side.HOST);
                FrameSession peerSession = peerSecret.sessionFor(Side.PEER)) {
            byte[] version = hostSession.seal(utf8("{\"version\": 1, \"role\": \"host\"}"));
            assertThrows(FrameAuthenticationException.class, () -> peerSession.open(version));
        }
    }

    @Test
    void closedSessionRefusesSealAndOpen() throws CryptoException {
        FrameSession host = host();
        FrameSession peer = peer();
        byte[] frame = host.seal(utf8("before close"));
        host.close();
        peer.close();
        assertTrue(host.isClosed());
        assertThrows(CryptoException.class, () -> host.seal(utf8("after close")));
        assertThrows(CryptoException.class, () -> peer.open(frame));
        host.close(); // idempotent
    }

    @Test
    void closedSharedSecretRefusesUse() throws CryptoException {
        SecureRandom random = new SecureRandom();
        Spake2 host = Spake2.start(Side.HOST, utf8("7-orbit-velvet-canyon"), random);
        Spake2 peer = Spake2.start(Side.PEER, utf8("7-orbit-velvet-canyon"), random);
        SharedSecret secret = host.finish(peer.outboundMessage());
        secret.close();
        assertThrows(IllegalStateException.class, () -> secret.sessionFor(Side.HOST));
        assertThrows(IllegalStateException.class, secret::verifier);
    }
}
