package wormhole.crypto;

import java.security.SecureRandom;

/**
 * One side of a SPAKE2 exchange, compatible with python-spake2's {@code SPAKE2_A} / {@code SPAKE2_B}
 * (Ed25519 group, empty identities). Single use: {@link #finish} may be called once.
 */
public final class Spake2 {
    private Spake2() {
    }

    /**
     * Starts an exchange, drawing the random scalar from {@code random}.
     *
     * @param side     which side this is
     * @param password the shared password (the UTF-8 channel code)
     * @param random   the source of the 64 bytes of entropy
     * @return the started exchange
     */
    public static Spake2 start(Side side, byte[] password, SecureRandom random) {
        throw new UnsupportedOperationException("not yet");
    }

    /** @return the 33-byte message to send: the side byte, then the encoded element */
    public byte[] outboundMessage() {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Finishes the exchange with the other side's message.
     *
     * @param inbound the other side's 33-byte message
     * @return the 32-byte shared secret
     * @throws CryptoException when the message is malformed (length, side byte, encoding, subgroup)
     */
    public SharedSecret finish(byte[] inbound) throws CryptoException {
        throw new UnsupportedOperationException("not yet");
    }
}
