package wormhole.api.spi.resume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ResendLogTest {
    private static byte[] m(int i) {
        return new byte[] {(byte) i, (byte) i};
    }

    @Test
    void rewindResendsFromTheNamedCountInOrderThenNothingMore() throws IOException {
        ResendLog log = new ResendLog();
        for (int i = 0; i < 5; i++) {
            assertEquals(i, log.add(m(i), true));
        }
        assertEquals(10, log.keptBytes());
        assertFalse(log.hasResend());
        log.rewindTo(2);
        assertEquals(6, log.keptBytes(), "the first two are confirmed and forgotten");
        for (int i = 2; i < 5; i++) {
            assertTrue(log.hasResend());
            assertArrayEquals(m(i), log.nextResend());
        }
        assertFalse(log.hasResend());
        assertEquals(5, log.sent());
    }

    @Test
    void aCountBelowWhatWasConfirmedOrAboveWhatWasSentIsAGap() throws IOException {
        ResendLog log = new ResendLog();
        for (int i = 0; i < 3; i++) {
            log.add(m(i), true);
        }
        log.confirmed(2);
        assertThrows(IOException.class, () -> log.rewindTo(1));
        assertThrows(IOException.class, () -> log.rewindTo(4));
        log.rewindTo(3);
        assertFalse(log.hasResend());
        assertEquals(0, log.keptBytes());
    }

    @Test
    void messagesNotKeptCannotBeAskedForAgain() throws IOException {
        ResendLog log = new ResendLog();
        log.add(m(0), false);
        log.add(m(1), true);
        assertEquals(2, log.keptBytes());
        assertThrows(IOException.class, () -> log.rewindTo(0));
        log.rewindTo(1);
        assertArrayEquals(m(1), log.nextResend());
    }

    @Test
    void confirmingManyCompactsAndKeepsTheRestInOrder() throws IOException {
        ResendLog log = new ResendLog();
        for (int i = 0; i < 1000; i++) {
            log.add(m(i), true);
        }
        log.confirmed(990);
        assertEquals(20, log.keptBytes());
        log.rewindTo(995);
        assertArrayEquals(m(995), log.nextResend());
    }
}
