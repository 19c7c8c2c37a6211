package wormhole.transport.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StallTimeoutSettingTest {
    @Test
    void defaultIsThirtySeconds() {
        assertEquals(Duration.ofSeconds(30), DirectTransportProvider.stallTimeoutFrom(null));
        assertEquals(Duration.ofSeconds(30), DirectTransportProvider.stallTimeoutFrom(" "));
    }

    @Test
    void propertyTakesAnIsoDuration() {
        assertEquals(Duration.ofSeconds(5), DirectTransportProvider.stallTimeoutFrom("PT5S"));
        assertEquals(Duration.ofMillis(250), DirectTransportProvider.stallTimeoutFrom(" PT0.25S "));
        assertEquals(Duration.ZERO, DirectTransportProvider.stallTimeoutFrom("PT0S"));
    }

    @Test
    void unusableValuesFallBackToTheDefault() {
        assertEquals(Duration.ofSeconds(30), DirectTransportProvider.stallTimeoutFrom("30"));
        assertEquals(Duration.ofSeconds(30), DirectTransportProvider.stallTimeoutFrom("PT-5S"));
    }

    @Test
    void publicConstructorReadsTheSystemProperty() {
        String key = DirectTransportProvider.STALL_TIMEOUT_PROPERTY;
        String before = System.getProperty(key);
        try {
            System.setProperty(key, "PT7S");
            assertEquals(Duration.ofSeconds(7), new DirectTransportProvider().stallTimeout());
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }

    @Test
    void negativeStallTimeoutIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new DirectTransportProvider(Duration.ofSeconds(-1)));
    }
}
