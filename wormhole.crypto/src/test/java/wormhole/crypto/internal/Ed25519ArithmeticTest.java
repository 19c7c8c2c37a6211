package wormhole.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Cross-checks the constant-time scalar multiplication (limbs, extended coordinates, fixed window)
 * against a slow affine reference written with BigInteger, on edge and random scalars.
 */
class Ed25519ArithmeticTest {
    private static final BigInteger Q = Ed25519.Q;
    private static final BigInteger D = BigInteger.valueOf(-121665)
            .multiply(BigInteger.valueOf(121666).modInverse(Q)).mod(Q);

    /** An affine point (x, y) as BigIntegers. */
    private record Affine(BigInteger x, BigInteger y) {
        static final Affine IDENTITY = new Affine(BigInteger.ZERO, BigInteger.ONE);

        Affine plus(Affine o) {
            BigInteger t = D.multiply(x).multiply(o.x).multiply(y).multiply(o.y).mod(Q);
            BigInteger x3 = x.multiply(o.y).add(y.multiply(o.x))
                    .multiply(BigInteger.ONE.add(t).modInverse(Q)).mod(Q);
            BigInteger y3 = y.multiply(o.y).add(x.multiply(o.x))
                    .multiply(BigInteger.ONE.subtract(t).mod(Q).modInverse(Q)).mod(Q);
            return new Affine(x3, y3);
        }

        Affine times(BigInteger k) {
            Affine acc = IDENTITY;
            for (int i = k.bitLength() - 1; i >= 0; i--) {
                acc = acc.plus(acc);
                if (k.testBit(i)) {
                    acc = acc.plus(this);
                }
            }
            return acc;
        }

        byte[] encode() {
            byte[] out = new byte[32];
            byte[] be = y.toByteArray();
            for (int i = 0; i < be.length && i < 32; i++) {
                out[i] = be[be.length - 1 - i];
            }
            out[31] |= (byte) (x.testBit(0) ? 0x80 : 0);
            return out;
        }
    }

    private static Affine affine(EdwardsPoint p) {
        byte[] enc = Ed25519.encode(p);
        byte[] yLe = enc.clone();
        yLe[31] &= 0x7F;
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = yLe[31 - i];
        }
        BigInteger y = new BigInteger(1, be);
        BigInteger y2 = y.multiply(y);
        BigInteger x2 = y2.subtract(BigInteger.ONE).multiply(D.multiply(y2).add(BigInteger.ONE).modInverse(Q)).mod(Q);
        BigInteger x = x2.modPow(Q.add(BigInteger.valueOf(3)).shiftRight(3), Q);
        if (!x.multiply(x).subtract(x2).mod(Q).equals(BigInteger.ZERO)) {
            BigInteger sqrtMinusOne = BigInteger.TWO.modPow(Q.subtract(BigInteger.ONE).shiftRight(2), Q);
            x = x.multiply(sqrtMinusOne).mod(Q);
        }
        if (x.testBit(0) != ((enc[31] & 0x80) != 0)) {
            x = Q.subtract(x).mod(Q);
        }
        return new Affine(x, y);
    }

    private static byte[] littleEndian(BigInteger k) {
        byte[] out = new byte[32];
        byte[] be = k.toByteArray();
        for (int i = 0; i < be.length && i < 32; i++) {
            out[i] = be[be.length - 1 - i];
        }
        return out;
    }

    @Test
    void constantTimeMultiplyMatchesAffineReference() {
        Random random = new Random(20240601);
        List<BigInteger> scalars = new ArrayList<>(List.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.TWO,
                BigInteger.valueOf(15), BigInteger.valueOf(16), Ed25519.L.subtract(BigInteger.ONE), Ed25519.L,
                BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE)));
        for (int i = 0; i < 12; i++) {
            scalars.add(new BigInteger(256, random));
        }
        for (EdwardsPoint point : List.of(Ed25519.base(), Ed25519.m(), Ed25519.n())) {
            Affine reference = affine(point);
            for (BigInteger k : scalars) {
                byte[] expected = reference.times(k).encode();
                assertArrayEquals(expected, Ed25519.encode(Ed25519.multiply(littleEndian(k), point)), "k = " + k);
                assertArrayEquals(expected, Ed25519.encode(Ed25519.multiplyPublic(k, point)), "public k = " + k);
            }
        }
    }

    @Test
    void sumAndNegationMatchAffineReference() {
        EdwardsPoint b = Ed25519.base();
        EdwardsPoint m = Ed25519.m();
        assertArrayEquals(affine(b).plus(affine(m)).encode(), Ed25519.encode(Ed25519.sum(b, m)));
        EdwardsPoint minusM = Ed25519.m();
        minusM.negate();
        assertTrue(Ed25519.isIdentity(Ed25519.sum(m, minusM)));
        assertArrayEquals(affine(b).encode(), Ed25519.encode(Ed25519.sum(Ed25519.sum(b, m), minusM)));
    }

    @Test
    void scalarReductionMatchesBigInteger() {
        Random random = new Random(7);
        for (int i = 0; i < 50; i++) {
            byte[] input = new byte[1 + random.nextInt(80)];
            random.nextBytes(input);
            BigInteger expected = new BigInteger(1, input).mod(Ed25519.L);
            assertArrayEquals(littleEndian(expected), ScalarModL.reduce(input));
        }
    }
}
