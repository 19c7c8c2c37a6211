package wormhole.api.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * What the engine asks of every link it opens.
 *
 * @param connectTimeout how long reaching the rendezvous (TCP connect, WebSocket open) may take
 * @param observer       who hears the link's {@link LinkEvent}s
 */
public record LinkSettings(Duration connectTimeout, LinkObserver observer) {
    /** Checks the settings. */
    public LinkSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(observer, "observer");
    }
}
