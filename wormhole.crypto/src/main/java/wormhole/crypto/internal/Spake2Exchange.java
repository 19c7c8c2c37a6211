package wormhole.crypto.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The group arithmetic of one side of python-spake2's SPAKE2 (side bytes, lengths and single use are
 * the caller's): X = x*B + w*M for side A, Y = y*B + w*N for side B, then
 * K = x*(Y - w*N) or y*(X - w*M) and the key SHA-256(SHA-256(pw) || SHA-256(idA) || SHA-256(idB) ||
 * X || Y || K) with empty identities.
 */
public final class Spake2Exchange {
    private static final byte[] PW_INFO = "SPAKE2 pw".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY_ID_HASH = sha256(new byte[0]);

    private final boolean sideA;
    private final byte[] passwordHash;
    private final byte[] passwordScalar;
    private final byte[] randomScalar;
    private final byte[] element;

    private Spake2Exchange(boolean sideA, byte[] passwordHash, byte[] passwordScalar, byte[] randomScalar,
            byte[] element) {
        this.sideA = sideA;
        this.passwordHash = passwordHash;
        this.passwordScalar = passwordScalar;
        this.randomScalar = randomScalar;
        this.element = element;
    }

    /**
     * Computes this side's element.
     *
     * @param sideA    true for python-spake2's SPAKE2_A (blinds with M), false for SPAKE2_B (N)
     * @param password the password bytes
     * @param entropy  the random bytes (python-spake2 draws 64), read big-endian mod L
     * @return the started exchange
     */
    public static Spake2Exchange start(boolean sideA, byte[] password, byte[] entropy) {
        byte[] w = passwordScalar(password);
        byte[] x = ScalarModL.reduce(entropy);
        EdwardsPoint blinding = Ed25519.multiply(w, sideA ? Ed25519.m() : Ed25519.n());
        EdwardsPoint own = Ed25519.sum(Ed25519.multiply(x, Ed25519.base()), blinding);
        blinding.wipe();
        return new Spake2Exchange(sideA, sha256(password), w, x, Ed25519.encode(own));
    }

    /**
     * @param password the password bytes
     * @return w = HKDF-SHA256(password, info "SPAKE2 pw", 48 bytes) big-endian mod L, little-endian
     */
    public static byte[] passwordScalar(byte[] password) {
        byte[] okm = Hkdf.sha256(password, PW_INFO, 48);
        try {
            return ScalarModL.reduce(okm);
        } finally {
            Arrays.fill(okm, (byte) 0);
        }
    }

    /**
     * Checks another side's element as {@link #finish} does, without deriving anything.
     *
     * @param element a 32-byte encoded element
     * @throws InvalidElementException when it fails a group check
     */
    public static void checkElement(byte[] element) throws InvalidElementException {
        Ed25519.decodeSubgroupElement(element);
    }

    /** @return this side's 32-byte encoded element (a copy) */
    public byte[] element() {
        return element.clone();
    }

    /**
     * Validates the other side's element and derives the key; wipes the scalars either way.
     *
     * @param otherElement the other side's 32-byte element
     * @return the 32-byte key
     * @throws InvalidElementException when the element fails a group check
     */
    public byte[] finish(byte[] otherElement) throws InvalidElementException {
        try {
            EdwardsPoint other = Ed25519.decodeSubgroupElement(otherElement);
            EdwardsPoint unblind = Ed25519.multiply(passwordScalar, sideA ? Ed25519.n() : Ed25519.m());
            unblind.negate();
            EdwardsPoint base = Ed25519.sum(other, unblind);
            EdwardsPoint shared = Ed25519.multiply(randomScalar, base);
            byte[] k = Ed25519.encode(shared);
            unblind.wipe();
            base.wipe();
            shared.wipe();
            byte[] transcript = transcript(sideA ? element : otherElement, sideA ? otherElement : element, k);
            Arrays.fill(k, (byte) 0);
            try {
                return sha256(transcript);
            } finally {
                Arrays.fill(transcript, (byte) 0);
            }
        } finally {
            wipe();
        }
    }

    /** Overwrites the password hash and both scalars. */
    public void wipe() {
        Arrays.fill(passwordHash, (byte) 0);
        Arrays.fill(passwordScalar, (byte) 0);
        Arrays.fill(randomScalar, (byte) 0);
    }

    private byte[] transcript(byte[] elementA, byte[] elementB, byte[] k) {
        byte[] out = new byte[32 * 6];
        System.arraycopy(passwordHash, 0, out, 0, 32);
        System.arraycopy(EMPTY_ID_HASH, 0, out, 32, 32);
        System.arraycopy(EMPTY_ID_HASH, 0, out, 64, 32);
        System.arraycopy(elementA, 0, out, 96, 32);
        System.arraycopy(elementB, 0, out, 128, 32);
        System.arraycopy(k, 0, out, 160, 32);
        return out;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
