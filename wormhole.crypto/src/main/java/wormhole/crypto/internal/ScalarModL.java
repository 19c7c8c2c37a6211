package wormhole.crypto.internal;

/**
 * Reduces a big-endian integer modulo the group order L in constant time: one shift and one masked
 * conditional subtraction per input bit, whatever the value. python-spake2 reads its random bytes
 * and its password HKDF output big-endian and reduces them mod L.
 */
public final class ScalarModL {
    private static final int WORDS = 8;
    /** L as eight little-endian 32-bit words. */
    private static final int[] L_WORDS = toWords(Ed25519.L);

    private ScalarModL() {
    }

    /**
     * @param bigEndian any number of bytes, read as an unsigned big-endian integer
     * @return the value mod L as 32 little-endian bytes
     */
    public static byte[] reduce(byte[] bigEndian) {
        int[] r = new int[WORDS];
        int[] t = new int[WORDS];
        for (byte value : bigEndian) {
            for (int bit = 7; bit >= 0; bit--) {
                // r = 2r + bit; r < L < 2^253 before, so 2r + 1 < 2L and one subtraction suffices
                int carry = (value >>> bit) & 1;
                for (int i = 0; i < WORDS; i++) {
                    int next = r[i] >>> 31;
                    r[i] = (r[i] << 1) | carry;
                    carry = next;
                }
                long borrow = 0;
                for (int i = 0; i < WORDS; i++) {
                    long d = (r[i] & 0xFFFFFFFFL) - (L_WORDS[i] & 0xFFFFFFFFL) - borrow;
                    t[i] = (int) d;
                    borrow = d >>> 63;
                }
                int keepDifference = (int) borrow - 1; // -1 when r >= L
                for (int i = 0; i < WORDS; i++) {
                    r[i] = (t[i] & keepDifference) | (r[i] & ~keepDifference);
                }
            }
        }
        byte[] out = new byte[4 * WORDS];
        for (int i = 0; i < WORDS; i++) {
            out[4 * i] = (byte) r[i];
            out[4 * i + 1] = (byte) (r[i] >>> 8);
            out[4 * i + 2] = (byte) (r[i] >>> 16);
            out[4 * i + 3] = (byte) (r[i] >>> 24);
        }
        java.util.Arrays.fill(r, 0);
        java.util.Arrays.fill(t, 0);
        return out;
    }

    private static int[] toWords(java.math.BigInteger value) {
        int[] words = new int[WORDS];
        for (int i = 0; i < WORDS; i++) {
            words[i] = value.shiftRight(32 * i).intValue();
        }
        return words;
    }
}
