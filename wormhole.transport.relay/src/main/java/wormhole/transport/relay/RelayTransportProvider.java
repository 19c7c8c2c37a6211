package wormhole.transport.relay;

import java.io.IOException;
import java.net.URI;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.HostedLink;
import wormhole.api.spi.LinkSettings;
import wormhole.api.spi.TransportProvider;

/** Placeholder until the relay transport lands: it serves nothing. */
public final class RelayTransportProvider implements TransportProvider {
    /** Creates the provider. */
    public RelayTransportProvider() {
    }

    @Override
    public String name() {
        return "relay";
    }

    @Override
    public boolean supports(URI rendezvous) {
        return false;
    }

    @Override
    public HostedLink host(URI rendezvous, LinkSettings settings) throws IOException {
        throw new IOException("the relay transport is not available yet");
    }

    @Override
    public FrameLink connect(URI rendezvous, String channelId, LinkSettings settings) throws IOException {
        throw new IOException("the relay transport is not available yet");
    }
}
