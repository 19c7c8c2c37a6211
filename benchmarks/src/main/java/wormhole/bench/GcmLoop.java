package wormhole.bench;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Random;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

import wormhole.crypto.CryptoException;
import wormhole.crypto.FrameSession;
import wormhole.crypto.SharedSecret;
import wormhole.crypto.Side;
import wormhole.crypto.Spake2;

/**
 * One seal-then-open round of a fixed-size message, the way a frame session uses each cipher: a
 * fresh 12-byte counter nonce per frame, one cipher object per direction, buffers reused.
 */
abstract class GcmLoop {
    static final int TAG = 16;
    final byte[] plaintext;
    final byte[] frame;
    final byte[] opened;
    long counter;

    GcmLoop(int size) {
        plaintext = new byte[size];
        new Random(size).nextBytes(plaintext);
        frame = new byte[size + TAG];
        opened = new byte[size];
    }

    /** @return a loop for "jdk", "bcprov" or "session" (the module's FrameSession) */
    static GcmLoop create(String engine, int size) throws Exception {
        byte[] key = new byte[32];
        new Random(42).nextBytes(key);
        return switch (engine) {
            case "jdk" -> new Jdk(size, key);
            case "bcprov" -> new Bouncy(size, key);
            case "session" -> new Session(size);
            default -> throw new IllegalArgumentException("unknown engine " + engine + " (jdk, bcprov, session)");
        };
    }

    /** Seals the message, opens the frame, and checks one byte so nothing is optimised away. */
    final void round() throws Exception {
        roundTrip();
        counter++;
        if (opened[opened.length - 1] != plaintext[plaintext.length - 1]) {
            throw new IllegalStateException("round trip changed the message");
        }
    }

    abstract void roundTrip() throws Exception;

    byte[] nonce() {
        byte[] nonce = new byte[12];
        long c = counter;
        for (int i = 11; i >= 4; i--) {
            nonce[i] = (byte) c;
            c >>>= 8;
        }
        return nonce;
    }

    /** SunJCE's AES/GCM/NoPadding, as wormhole.crypto's JdkAesGcm uses it. */
    static final class Jdk extends GcmLoop {
        private final SecretKeySpec key;
        private final Cipher sealer;
        private final Cipher opener;

        Jdk(int size, byte[] key) throws GeneralSecurityException {
            super(size);
            this.key = new SecretKeySpec(key, "AES");
            sealer = Cipher.getInstance("AES/GCM/NoPadding");
            opener = Cipher.getInstance("AES/GCM/NoPadding");
        }

        @Override
        void roundTrip() throws GeneralSecurityException {
            byte[] nonce = nonce();
            sealer.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            int n = sealer.doFinal(plaintext, 0, plaintext.length, frame, 0);
            opener.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            opener.doFinal(frame, 0, n, opened, 0);
        }
    }

    /** bcprov's GCMBlockCipher over AESEngine, key given at the first init only. */
    static final class Bouncy extends GcmLoop {
        private final GCMModeCipher sealer = GCMBlockCipher.newInstance(AESEngine.newInstance());
        private final GCMModeCipher opener = GCMBlockCipher.newInstance(AESEngine.newInstance());
        private KeyParameter key;

        Bouncy(int size, byte[] key) {
            super(size);
            this.key = new KeyParameter(key);
        }

        @Override
        void roundTrip() throws InvalidCipherTextException {
            byte[] nonce = nonce();
            KeyParameter first = key;
            key = null;
            sealer.init(true, new AEADParameters(first, 128, nonce));
            int n = sealer.processBytes(plaintext, 0, plaintext.length, frame, 0);
            n += sealer.doFinal(frame, n);
            opener.init(false, new AEADParameters(first, 128, nonce));
            int m = opener.processBytes(frame, 0, n, opened, 0);
            opener.doFinal(opened, m);
        }
    }

    /** The module's own FrameSession pair (whichever GCM it chose), through its public API. */
    static final class Session extends GcmLoop {
        private final FrameSession host;
        private final FrameSession peer;

        Session(int size) throws CryptoException {
            super(size);
            byte[] code = "4242-apple-banana-cherry".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            java.security.SecureRandom random = new java.security.SecureRandom();
            Spake2 a = Spake2.start(Side.HOST, code, random);
            Spake2 b = Spake2.start(Side.PEER, code, random);
            try (SharedSecret sa = a.finish(b.outboundMessage()); SharedSecret sb = b.finish(a.outboundMessage())) {
                host = sa.sessionFor(Side.HOST);
                peer = sb.sessionFor(Side.PEER);
            }
        }

        @Override
        void roundTrip() throws CryptoException {
            int n = host.seal(plaintext, 0, plaintext.length, frame, 0);
            peer.open(frame, 0, n, opened, 0);
        }
    }

    /** One full SPAKE2 handshake: both sides start and finish; the keys must agree. */
    static void handshake(java.security.SecureRandom random, byte[] code) throws CryptoException {
        Spake2 a = Spake2.start(Side.HOST, code, random);
        Spake2 b = Spake2.start(Side.PEER, code, random);
        try (SharedSecret sa = a.finish(b.outboundMessage()); SharedSecret sb = b.finish(a.outboundMessage())) {
            if (!Arrays.equals(sa.verifier().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    sb.verifier().getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
                throw new IllegalStateException("handshake keys differ");
            }
        }
    }
}
