package wormhole.api.internal;

import java.io.IOException;
import java.time.Duration;

/** Short, human-readable details for the engine's endings and errors. */
final class Details {
    private Details() {
    }

    /** @return {@code d} in minutes, or in seconds when shorter than a minute */
    static String of(Duration d) {
        return d.toMinutes() >= 1 ? d.toMinutes() + " min" : d.toMillis() / 1000.0 + " s";
    }

    /** @return the exception's message, or its simple class name when it has none */
    static String of(IOException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
