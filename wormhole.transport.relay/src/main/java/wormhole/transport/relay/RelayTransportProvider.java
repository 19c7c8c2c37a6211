package wormhole.transport.relay;

import java.io.IOException;
import java.net.URI;
import java.util.Objects;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.HostedLink;
import wormhole.api.spi.LinkSettings;
import wormhole.api.spi.TransportProvider;

/**
 * Channels through a blind WebSocket relay, for {@code ws://relay:4747} and {@code wss://relay}
 * rendezvous URIs (path {@code /ws} is added when absent; several, separated by commas, are the
 * instances of one relay: a session starts at a random one and moves to the next when a connection
 * fails or drops). The host joins without a code and gets a nameplate from the relay; a peer joins with that nameplate, or with a whole legacy code for a
 * Python 0.1.x channel. Links reconnect by themselves after a transient drop and resume without loss
 * or duplication, and pace their sending under the limits the relay announces, so a burst arrives
 * late rather than refused. The messages are in {@code docs/relay-protocol.md}.
 *
 * <p>{@code wss} trusts the system trust store. To also trust a self-hosted relay's own certificate,
 * name a PEM file with the URI query parameter {@code trust} ({@code wss://relay.example:4747/ws?trust=/etc/relay.pem})
 * or the system property {@code wormhole.relay.trust}; the parameter wins, and host names are still
 * checked.
 */
public final class RelayTransportProvider implements TransportProvider {
    /** Creates the provider, as {@link java.util.ServiceLoader} does. */
    public RelayTransportProvider() {
    }

    @Override
    public String name() {
        return "relay";
    }

    @Override
    public boolean supports(URI rendezvous) {
        return rendezvous != null && Endpoints.supports(rendezvous);
    }

    @Override
    public HostedLink host(URI rendezvous, LinkSettings settings) throws IOException {
        Session session = join(rendezvous, settings, true, Json.hostJoin());
        if (session.nameplate() == null) {
            session.close();
            throw new IOException("the relay at " + rendezvous + " did not assign a nameplate (a version-1 relay?)");
        }
        return new RelayHostedLink(session);
    }

    /**
     * Joins as the host under {@code channelId} (a Python 0.1.x code, which the relay sees whole). Our
     * relay welcomes it as any protocol-2 host, with a token but no nameplate; a Python relay answers
     * with a plain status, and then tells a host nothing of its peer's arrival, so the peer's first
     * frame counts as the pairing.
     */
    @Override
    public HostedLink host(URI rendezvous, String channelId, LinkSettings settings) throws IOException {
        Objects.requireNonNull(channelId, "channelId");
        return new RelayHostedLink(join(rendezvous, settings, true, Json.hostJoin(channelId)));
    }

    @Override
    public FrameLink connect(URI rendezvous, String channelId, LinkSettings settings) throws IOException {
        Objects.requireNonNull(channelId, "channelId");
        return new RelayLink(join(rendezvous, settings, false, Json.peerJoin(channelId)));
    }

    /** Opens a session to the relay and joins with {@code joinMessage}, waiting for the answer. */
    private static Session join(URI rendezvous, LinkSettings settings, boolean host, String joinMessage)
            throws IOException {
        Objects.requireNonNull(settings, "settings");
        Session session = new Session(Endpoints.of(rendezvous), settings, host);
        session.open(joinMessage);
        return session;
    }
}
