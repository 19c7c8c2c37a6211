package wormhole.shell.interactive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProgressBarTest {
    @Test
    void aKnownSizeShowsABarAPercentageAndTheAmounts() {
        assertEquals("[##########..........] 50% 500/1000 MB", ProgressBar.of(500_000_000L, 1_000_000_000L));
        assertEquals("[....................] 0% 0/1000 MB", ProgressBar.of(0, 1_000_000_000L));
        assertEquals("[####################] 100% 1000/1000 MB", ProgressBar.of(1_000_000_000L, 1_000_000_000L));
    }

    @Test
    void moreThanAnnouncedNeverOverflowsTheBar() {
        assertEquals("[####################] 100% 10/10 MB", ProgressBar.of(20_000_000L, 10_000_000L));
    }

    @Test
    void anUnknownSizeShowsTheAmountSoFar() {
        assertEquals("42 MB so far", ProgressBar.of(42_000_000L, -1));
    }
}
