package wormhole.api.spi.resume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConfirmScheduleTest {
    @Test
    void dueAfterSixteenMessages() {
        ConfirmSchedule s = new ConfirmSchedule();
        for (int i = 0; i < 15; i++) {
            s.took(10, 0);
        }
        assertFalse(s.due(0));
        s.took(10, 0);
        assertTrue(s.due(0));
        assertEquals(16, s.confirm());
        assertFalse(s.due(0));
    }

    @Test
    void dueAfter256KiB() {
        ConfirmSchedule s = new ConfirmSchedule();
        s.took(ConfirmSchedule.EVERY_BYTES - 1, 0);
        assertFalse(s.due(0));
        s.took(1, 0);
        assertTrue(s.due(0));
    }

    @Test
    void dueASecondAfterTheFirstUnconfirmedAndNeverWithNothingTaken() {
        ConfirmSchedule s = new ConfirmSchedule();
        assertFalse(s.due(10 * ConfirmSchedule.DELAY_NANOS));
        s.took(1, 100);
        assertFalse(s.due(100 + ConfirmSchedule.DELAY_NANOS - 1));
        assertTrue(s.due(100 + ConfirmSchedule.DELAY_NANOS));
        s.confirm();
        s.took(1, 5 * ConfirmSchedule.DELAY_NANOS);
        assertFalse(s.due(5 * ConfirmSchedule.DELAY_NANOS + 1), "the clock restarts at the next unconfirmed one");
    }
}
