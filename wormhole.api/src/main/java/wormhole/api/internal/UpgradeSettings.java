package wormhole.api.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import wormhole.api.spi.DirectPaths;

/**
 * How a channel that met through a relay may move to a direct connection (feature {@code upgrade}).
 *
 * @param paths     the transport that opens direct connections; empty never offers the upgrade
 *                  ({@code --no-upgrade}, or no such transport on the module path)
 * @param port      the port to listen on, 0 for any
 * @param advertise the {@code host:port} hints to send instead of the listener's own; empty for its own
 * @param window    how long the attempt may take, from the version exchange; then the listener closes
 */
public record UpgradeSettings(Optional<DirectPaths> paths, int port, List<String> advertise, Duration window) {
    /** The default window: a few seconds, so a channel that cannot go direct stops trying soon. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
    /** Never upgrade. */
    public static final UpgradeSettings NONE = new UpgradeSettings(Optional.empty(), 0, List.of(), DEFAULT_WINDOW);

    /** Copies the list. */
    public UpgradeSettings {
        advertise = List.copyOf(advertise);
    }

    /** @return whether this end offers the upgrade */
    boolean offered() {
        return paths.isPresent();
    }
}
