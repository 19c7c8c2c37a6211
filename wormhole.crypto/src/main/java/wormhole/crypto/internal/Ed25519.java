package wormhole.crypto.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import org.bouncycastle.math.ec.rfc7748.X25519Field;

/**
 * The Ed25519 group as python-spake2 uses it: constants, the 32-byte element encoding, validation
 * of inbound elements, and scalar multiplication.
 *
 * <p>{@link #multiply} is for secret scalars: it runs a fixed 4-bit window over all 64 nibbles with
 * a lookup that reads every table entry and keeps one by mask, so neither the sequence of operations
 * nor the memory it touches depends on the scalar. {@link #multiplyPublic} is a plain
 * double-and-add for public scalars only (the subgroup check and the cofactor).
 *
 * <p>About 300 lines on purpose: the constants, the encoding with its validation and the two
 * multiplications are one audit unit, checked together against python-spake2 and RFC 8032, and
 * share private helpers (field conversions, constant-time masks); the point arithmetic itself is
 * already apart in {@link EdwardsPoint} and the scalar field in {@link ScalarModL}.
 */
public final class Ed25519 {
    /** The field prime q = 2^255 - 19. */
    public static final BigInteger Q = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
    /** The prime order of the base point, L = 2^252 + 27742317777372353535851937790883648493. */
    public static final BigInteger L = BigInteger.ONE.shiftLeft(252)
            .add(new BigInteger("27742317777372353535851937790883648493"));
    private static final BigInteger D_BIG = BigInteger.valueOf(-121665)
            .multiply(BigInteger.valueOf(121666).modInverse(Q)).mod(Q);

    static final int[] D = fieldElement(D_BIG);
    static final int[] D2 = fieldElement(D_BIG.shiftLeft(1).mod(Q));

    /** Length of an encoded element. */
    public static final int ELEMENT_LENGTH = 32;

    private static final EdwardsPoint BASE = decodeTrusted(
            fieldElementBytes(BigInteger.valueOf(4).multiply(BigInteger.valueOf(5).modInverse(Q)).mod(Q)));
    private static final EdwardsPoint M = arbitraryElement("M");
    private static final EdwardsPoint N = arbitraryElement("N");

    private Ed25519() {
    }

    /** @return a copy of the base point B */
    static EdwardsPoint base() {
        return BASE.copy();
    }

    /** @return a copy of python-spake2's blinding point M (side A) */
    static EdwardsPoint m() {
        return M.copy();
    }

    /** @return a copy of python-spake2's blinding point N (side B) */
    static EdwardsPoint n() {
        return N.copy();
    }

    /**
     * Derives python-spake2's "arbitrary element" for a seed: HKDF-SHA256 of the seed (info
     * "SPAKE2 arbitrary element", 48 bytes) read big-endian mod q as y, the even x for that y,
     * times the cofactor 8; y + 1, y + 2, ... until that works and is not the identity.
     *
     * @param seed the seed, "M", "N" or "symmetric"
     * @return the element's 32-byte encoding
     */
    public static byte[] arbitraryElementEncoding(String seed) {
        return encode(arbitraryElement(seed));
    }

    private static EdwardsPoint arbitraryElement(String seed) {
        byte[] h = Hkdf.sha256(seed.getBytes(StandardCharsets.UTF_8),
                "SPAKE2 arbitrary element".getBytes(StandardCharsets.US_ASCII), 48);
        BigInteger y0 = new BigInteger(1, h).mod(Q);
        for (int plus = 0; ; plus++) {
            byte[] candidate = fieldElementBytes(y0.add(BigInteger.valueOf(plus)).mod(Q));
            EdwardsPoint p;
            try {
                p = decode(candidate);
            } catch (InvalidElementException notOnCurve) {
                continue;
            }
            EdwardsPoint p8 = multiplyPublic(BigInteger.valueOf(8), p);
            if (!isIdentity(p8)) {
                return p8;
            }
        }
    }

    /**
     * Multiplies a point by a secret scalar in constant time.
     *
     * @param scalar 32-byte little-endian scalar (any 256-bit value)
     * @param p      the point, not modified
     * @return a new point {@code scalar * p}
     */
    static EdwardsPoint multiply(byte[] scalar, EdwardsPoint p) {
        EdwardsPoint.Scratch s = new EdwardsPoint.Scratch();
        EdwardsPoint[] table = new EdwardsPoint[16];
        table[0] = EdwardsPoint.identity();
        for (int i = 1; i < 16; i++) {
            table[i] = table[i - 1].copy();
            EdwardsPoint.add(table[i], p, table[i], s);
        }
        EdwardsPoint acc = EdwardsPoint.identity();
        EdwardsPoint chosen = EdwardsPoint.identity();
        for (int i = 63; i >= 0; i--) {
            for (int k = 0; k < 4; k++) {
                EdwardsPoint.dbl(acc, acc, s);
            }
            int nibble = (scalar[i >>> 1] >>> ((i & 1) << 2)) & 0x0F;
            for (int j = 0; j < 16; j++) {
                chosen.cmov(equalMask(j, nibble), table[j]);
            }
            EdwardsPoint.add(acc, chosen, acc, s);
        }
        for (EdwardsPoint entry : table) {
            entry.wipe();
        }
        chosen.wipe();
        s.wipe();
        return acc;
    }

    /** @return -1 when {@code a == b}, 0 otherwise, for 0 <= a, b < 16, without a branch */
    private static int equalMask(int a, int b) {
        return ((a ^ b) - 1) >> 31;
    }

    /**
     * Multiplies a point by a public scalar (variable time).
     *
     * @param scalar a non-negative public scalar
     * @param p      the point, not modified
     * @return a new point {@code scalar * p}
     */
    static EdwardsPoint multiplyPublic(BigInteger scalar, EdwardsPoint p) {
        EdwardsPoint.Scratch s = new EdwardsPoint.Scratch();
        EdwardsPoint acc = EdwardsPoint.identity();
        for (int i = scalar.bitLength() - 1; i >= 0; i--) {
            EdwardsPoint.dbl(acc, acc, s);
            if (scalar.testBit(i)) {
                EdwardsPoint.add(acc, p, acc, s);
            }
        }
        return acc;
    }

    /** @return {@code p + q} as a new point */
    static EdwardsPoint sum(EdwardsPoint p, EdwardsPoint q) {
        EdwardsPoint r = EdwardsPoint.identity();
        EdwardsPoint.add(p, q, r, new EdwardsPoint.Scratch());
        return r;
    }

    /** @return whether {@code p} is the neutral element (variable time: public points only) */
    static boolean isIdentity(EdwardsPoint p) {
        int[] x = p.x.clone();
        int[] diff = X25519Field.create();
        X25519Field.sub(p.y, p.z, diff);
        X25519Field.carry(diff);
        X25519Field.carry(x);
        X25519Field.normalize(diff);
        X25519Field.normalize(x);
        return X25519Field.isZeroVar(x) && X25519Field.isZeroVar(diff);
    }

    /**
     * Encodes a point: 32 bytes of little-endian y with the low bit of x in the top bit.
     * Constant time (the inversion is a fixed exponentiation).
     */
    static byte[] encode(EdwardsPoint p) {
        int[] zInv = X25519Field.create();
        int[] x = X25519Field.create();
        int[] y = X25519Field.create();
        X25519Field.inv(p.z, zInv);
        X25519Field.mul(p.x, zInv, x);
        X25519Field.mul(p.y, zInv, y);
        X25519Field.normalize(x);
        X25519Field.normalize(y);
        byte[] out = new byte[ELEMENT_LENGTH];
        X25519Field.encode(y, out, 0);
        out[31] |= (byte) ((x[0] & 1) << 7);
        X25519Field.zero(zInv);
        X25519Field.zero(x);
        X25519Field.zero(y);
        return out;
    }

    /**
     * Decodes and fully validates an inbound element: canonical, on the curve, not the identity,
     * not of small order, in the prime-order subgroup.
     *
     * @param encoded 32 bytes
     * @return the point
     * @throws InvalidElementException naming the first check that failed
     */
    static EdwardsPoint decodeSubgroupElement(byte[] encoded) throws InvalidElementException {
        if (encoded.length != ELEMENT_LENGTH) {
            throw new InvalidElementException("is " + encoded.length + " bytes, not " + ELEMENT_LENGTH);
        }
        byte[] yBytes = encoded.clone();
        yBytes[31] &= 0x7F;
        if (littleEndian(yBytes).compareTo(Q) >= 0) {
            throw new InvalidElementException("is not canonically encoded (y >= q)");
        }
        EdwardsPoint p = decode(encoded);
        if (isIdentity(p)) {
            throw new InvalidElementException("is the identity element");
        }
        if (isIdentity(multiplyPublic(BigInteger.valueOf(8), p))) {
            throw new InvalidElementException("is a point of small order");
        }
        if (!isIdentity(multiplyPublic(L, p))) {
            throw new InvalidElementException("is not in the prime-order subgroup");
        }
        return p;
    }

    /**
     * Decodes a point without the subgroup checks. The caller must have checked y < q.
     *
     * @throws InvalidElementException when y has no x on the curve or the sign bit is set for x = 0
     */
    private static EdwardsPoint decode(byte[] encoded) throws InvalidElementException {
        int sign = (encoded[31] >>> 7) & 1;
        int[] y = X25519Field.create();
        X25519Field.decode(encoded, 0, y);          // ignores the top bit
        int[] y2 = X25519Field.create();
        X25519Field.sqr(y, y2);
        int[] u = X25519Field.create();
        X25519Field.sub(y2, one(), u);               // u = y^2 - 1
        X25519Field.carry(u);
        int[] v = X25519Field.create();
        X25519Field.mul(y2, D, v);
        X25519Field.add(v, one(), v);                // v = d y^2 + 1
        X25519Field.carry(v);
        int[] x = X25519Field.create();
        if (!X25519Field.sqrtRatioVar(u, v, x)) {
            throw new InvalidElementException("is not a point on the curve (no x for its y)");
        }
        X25519Field.carry(x);
        X25519Field.normalize(x);
        boolean xIsZero = X25519Field.isZeroVar(x);
        if (xIsZero && sign == 1) {
            throw new InvalidElementException("is not canonically encoded (sign bit set for x = 0)");
        }
        if ((x[0] & 1) != sign) {
            X25519Field.negate(x, x);
            X25519Field.carry(x);
            X25519Field.normalize(x);
        }
        X25519Field.normalize(y);
        if (!onCurve(x, y)) {
            throw new InvalidElementException("is not a point on the curve");
        }
        return EdwardsPoint.fromAffine(x, y);
    }

    private static EdwardsPoint decodeTrusted(byte[] encoded) {
        try {
            return decode(encoded);
        } catch (InvalidElementException e) {
            throw new IllegalStateException("constant " + e.getMessage(), e);
        }
    }

    /** Checks -x^2 + y^2 == 1 + d x^2 y^2 for affine coordinates. */
    private static boolean onCurve(int[] x, int[] y) {
        int[] x2 = X25519Field.create();
        int[] y2 = X25519Field.create();
        X25519Field.sqr(x, x2);
        X25519Field.sqr(y, y2);
        int[] lhs = X25519Field.create();
        X25519Field.sub(y2, x2, lhs);
        X25519Field.carry(lhs);
        int[] rhs = X25519Field.create();
        X25519Field.mul(x2, y2, rhs);
        X25519Field.mul(rhs, D, rhs);
        X25519Field.add(rhs, one(), rhs);
        X25519Field.carry(rhs);
        X25519Field.sub(lhs, rhs, lhs);
        X25519Field.carry(lhs);
        X25519Field.normalize(lhs);
        return X25519Field.isZeroVar(lhs);
    }

    private static int[] one() {
        int[] one = X25519Field.create();
        X25519Field.one(one);
        return one;
    }

    private static BigInteger littleEndian(byte[] bytes) {
        byte[] be = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            be[i] = bytes[bytes.length - 1 - i];
        }
        return new BigInteger(1, be);
    }

    private static byte[] fieldElementBytes(BigInteger value) {
        byte[] be = value.toByteArray();
        byte[] le = new byte[ELEMENT_LENGTH];
        for (int i = 0; i < be.length && i < ELEMENT_LENGTH; i++) {
            le[i] = be[be.length - 1 - i];
        }
        return le;
    }

    private static int[] fieldElement(BigInteger value) {
        int[] fe = X25519Field.create();
        X25519Field.decode(fieldElementBytes(value), 0, fe);
        return fe;
    }
}
