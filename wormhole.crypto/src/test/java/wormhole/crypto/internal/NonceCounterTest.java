package wormhole.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The nonce counter counts big-endian from its first value and refuses to wrap past 2^64 - 1. */
class NonceCounterTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @Test
    void countsBigEndianFromZero() {
        NonceCounter counter = new NonceCounter(0);
        assertArrayEquals(hex("000000000000000000000000"), counter.next());
        assertArrayEquals(hex("000000000000000000000001"), counter.next());
    }

    @Test
    void handsOutTheLastValueOnceThenRefuses() {
        NonceCounter counter = new NonceCounter(-2L);
        assertArrayEquals(hex("00000000fffffffffffffffe"), counter.next());
        assertFalse(counter.isExhausted());
        assertArrayEquals(hex("00000000ffffffffffffffff"), counter.next());
        assertTrue(counter.isExhausted());
        assertThrows(IllegalStateException.class, counter::next);
        assertThrows(IllegalStateException.class, counter::next);
    }
}
