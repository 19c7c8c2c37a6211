package wormhole.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

import wormhole.crypto.internal.Ed25519;
import wormhole.crypto.internal.InvalidElementException;
import wormhole.crypto.internal.Spake2Exchange;

/**
 * One side of a SPAKE2 exchange, compatible with python-spake2's {@code SPAKE2_A} / {@code SPAKE2_B}
 * (Ed25519 group, empty identities). Single use: {@link #finish} may be called once.
 *
 * <p>The random scalar and the password scalar are multiplied in constant time and wiped when
 * {@link #finish} returns or throws. Every inbound message is fully checked (length, side byte,
 * canonical encoding, curve, identity, small order, prime-order subgroup, reflection) before any key
 * is derived.
 */
public final class Spake2 {
    /** Bytes of entropy drawn for the random scalar, as python-spake2 draws them. */
    static final int ENTROPY_LENGTH = 64;
    /** Bytes in a message: the side byte and the element. */
    public static final int MESSAGE_LENGTH = 1 + Ed25519.ELEMENT_LENGTH;
    private static final byte SIDE_A = 0x41;
    private static final byte SIDE_B = 0x42;

    private final Side side;
    private final Spake2Exchange exchange;
    private final byte[] outbound;
    private boolean used;

    private Spake2(Side side, Spake2Exchange exchange) {
        this.side = side;
        this.exchange = exchange;
        this.outbound = new byte[MESSAGE_LENGTH];
        outbound[0] = sideByte(side);
        System.arraycopy(exchange.element(), 0, outbound, 1, Ed25519.ELEMENT_LENGTH);
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
        Objects.requireNonNull(random, "random");
        byte[] entropy = new byte[ENTROPY_LENGTH];
        random.nextBytes(entropy);
        try {
            return startWithEntropy(side, password, entropy);
        } finally {
            Arrays.fill(entropy, (byte) 0);
        }
    }

    /**
     * Deterministic start for the known-answer tests.
     *
     * @param entropy the 64 bytes python-spake2 would have drawn (read big-endian, mod L)
     */
    static Spake2 startWithEntropy(Side side, byte[] password, byte[] entropy) {
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(password, "password");
        if (entropy.length != ENTROPY_LENGTH) {
            throw new IllegalArgumentException("need " + ENTROPY_LENGTH + " bytes of entropy, got " + entropy.length);
        }
        return new Spake2(side, Spake2Exchange.start(side == Side.HOST, password, entropy));
    }

    /** @return the 33-byte message to send: the side byte, then the encoded element */
    public byte[] outboundMessage() {
        return outbound.clone();
    }

    /**
     * Finishes the exchange with the other side's message.
     *
     * @param inbound the other side's 33-byte message
     * @return the 32-byte shared secret
     * @throws CryptoException when the message is malformed (length, side byte, encoding, subgroup)
     */
    public synchronized SharedSecret finish(byte[] inbound) throws CryptoException {
        Objects.requireNonNull(inbound, "inbound");
        if (used) {
            throw new IllegalStateException("finish was already called: a SPAKE2 exchange is single use");
        }
        used = true;
        try {
            checkFraming(inbound);
            byte[] element = Arrays.copyOfRange(inbound, 1, MESSAGE_LENGTH);
            if (MessageDigest.isEqual(element, Arrays.copyOfRange(outbound, 1, MESSAGE_LENGTH))) {
                throw refused("it carries our own element back (reflection)");
            }
            return new SharedSecret(exchange.finish(element));
        } catch (InvalidElementException e) {
            throw refused("its element " + e.getMessage());
        } finally {
            exchange.wipe();
        }
    }

    /**
     * Tells whether {@code message} is one that {@link #finish} of the other side could take: the
     * right length, {@code sender}'s side byte, and a valid element (canonical, on the curve, in the
     * prime-order subgroup, not of small order). It needs no password, so a listener can use it to
     * tell a real peer's first frame from a stray connection's bytes before it spends the channel.
     *
     * @param message a candidate SPAKE2 message
     * @param sender  the side that should have sent it
     * @return whether it is well formed
     */
    public static boolean isWellFormed(byte[] message, Side sender) {
        Objects.requireNonNull(sender, "sender");
        if (message == null || message.length != MESSAGE_LENGTH || message[0] != sideByte(sender)) {
            return false;
        }
        try {
            Spake2Exchange.checkElement(Arrays.copyOfRange(message, 1, MESSAGE_LENGTH));
            return true;
        } catch (InvalidElementException e) {
            return false;
        }
    }

    private void checkFraming(byte[] inbound) throws MalformedMessageException {
        if (inbound.length != MESSAGE_LENGTH) {
            throw refused("expected " + MESSAGE_LENGTH + " bytes (side byte and element), got " + inbound.length);
        }
        byte sideByte = inbound[0];
        if (sideByte != SIDE_A && sideByte != SIDE_B) {
            throw refused(String.format("unknown side byte 0x%02x (expected 0x41 'A' or 0x42 'B')", sideByte));
        }
        if (sideByte == sideByte(side)) {
            throw refused("it comes from our own side (" + (char) sideByte + "); both ends play " + side);
        }
    }

    private static MalformedMessageException refused(String why) {
        return new MalformedMessageException("SPAKE2 message refused: " + why);
    }

    private static byte sideByte(Side side) {
        return side == Side.HOST ? SIDE_A : SIDE_B;
    }
}
