package wormhole.api.spi;

import java.io.IOException;
import java.net.URI;

/**
 * A way for two ends to reach each other, found with {@link java.util.ServiceLoader}. A rendezvous is
 * named by a URI whose scheme says which provider serves it ({@code tcp://host:port} for direct TCP,
 * {@code ws://relay:4747} for a relay); the provider turns it into a {@link FrameLink}.
 *
 * <p>A provider module declares {@code provides wormhole.api.spi.TransportProvider with ...} and its
 * provider class has a public no-argument constructor. Providers must be thread-safe (one serves
 * every channel of a process) and must throw only the exceptions each method lists; the package
 * documentation has the whole contract.
 */
public interface TransportProvider {
    /** @return a short lowercase name for messages, such as {@code direct} or {@code relay} */
    String name();

    /**
     * @param rendezvous a rendezvous URI
     * @return whether this provider serves it
     */
    boolean supports(URI rendezvous);

    /**
     * Opens the host's side: binds or registers, so that the nameplate is known, and returns before
     * any peer arrives, within the settings' connect time-out. Called on the thread that hosts.
     *
     * @param rendezvous where to wait (for direct TCP: the address and port to bind, port 0 for any)
     * @param settings   time-outs and the observer for link events
     * @return the waiting host side, never null
     * @throws IOException when the rendezvous cannot be reached or bound
     */
    HostedLink host(URI rendezvous, LinkSettings settings) throws IOException;

    /**
     * Opens the host's side under a channel id the host chose: the whole legacy code, as a Python
     * 0.1.x host does on a relay, so that a Python peer given that code finds it. The rendezvous then
     * sees the whole code. Transports without such a rendezvous keep this default.
     *
     * @param rendezvous where to wait
     * @param channelId  the channel id to register under
     * @param settings   time-outs and the observer for link events
     * @return the waiting host side
     * @throws IOException                   when the rendezvous cannot be reached or refuses the id
     * @throws UnsupportedOperationException when this transport cannot host under a chosen id
     */
    default HostedLink host(URI rendezvous, String channelId, LinkSettings settings) throws IOException {
        throw new UnsupportedOperationException("the " + name() + " transport cannot host under a chosen channel id");
    }

    /**
     * Opens the peer's side of a channel, within the settings' connect time-out. Called on the
     * channel's thread; when the channel is closed meanwhile, the link returned is closed unused.
     *
     * @param rendezvous where the host waits
     * @param channelId  the nameplate, or the whole legacy code for a version-1 relay channel
     * @param settings   time-outs and the observer for link events
     * @return the link to the host, never null
     * @throws IOException when the host cannot be reached
     */
    FrameLink connect(URI rendezvous, String channelId, LinkSettings settings) throws IOException;

    /**
     * The direct connections this transport can open beside another transport's link, for the
     * upgrade of a channel that met through a relay; empty (the default) when it cannot.
     *
     * @return the capability, if this transport has it
     */
    default java.util.Optional<DirectPaths> directPaths() {
        return java.util.Optional.empty();
    }
}
