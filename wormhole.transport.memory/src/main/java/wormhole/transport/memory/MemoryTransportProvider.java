package wormhole.transport.memory;

import java.io.IOException;
import java.net.URI;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.HostedLink;
import wormhole.api.spi.LinkEvent;
import wormhole.api.spi.LinkSettings;
import wormhole.api.spi.TransportProvider;

/**
 * Serves {@code mem://<name>} rendezvous inside one JVM: a host registers under the name and gets a
 * small nameplate; a peer that connects with that nameplate is paired with it through bounded
 * in-memory queues. For tests only: it shows how a third-party module plugs a transport in.
 */
public final class MemoryTransportProvider implements TransportProvider {
    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public MemoryTransportProvider() {
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public boolean supports(URI rendezvous) {
        return "mem".equalsIgnoreCase(rendezvous.getScheme());
    }

    @Override
    public HostedLink host(URI rendezvous, LinkSettings settings) throws IOException {
        MemoryHostedLink hosted = MemoryRendezvous.SHARED.register(nameOf(rendezvous));
        settings.observer().onLinkEvent(LinkEvent.WAITING, "");
        return new ObservedHostedLink(hosted, settings);
    }

    @Override
    public FrameLink connect(URI rendezvous, String channelId, LinkSettings settings) throws IOException {
        String name = nameOf(rendezvous);
        // The channel id of a legacy code is the whole code: never repeat it in a message.
        if (!channelId.matches("[0-9]{1,9}")) {
            throw new IOException("mem://" + name + " takes only numbered codes");
        }
        MemoryHostedLink hosted = MemoryRendezvous.SHARED.claim(name, Integer.parseInt(channelId));
        if (hosted == null) {
            throw new IOException("no host waits at mem://" + name + " under nameplate " + channelId);
        }
        MemoryFrameLink[] ends = MemoryFrameLink.pair();
        if (!hosted.offer(ends[0])) {
            ends[1].close();
            throw new IOException("the host at mem://" + name + " gave up");
        }
        settings.observer().onLinkEvent(LinkEvent.PAIRED, "");
        return ends[1];
    }

    private static String nameOf(URI rendezvous) throws IOException {
        String name = rendezvous.getAuthority();
        if (name == null || name.isEmpty()) {
            throw new IOException("a memory rendezvous looks like mem://name");
        }
        return name;
    }

    /** Reports {@link LinkEvent#PAIRED} to the host when its peer is handed over. */
    private record ObservedHostedLink(MemoryHostedLink hosted, LinkSettings settings) implements HostedLink {
        @Override
        public String nameplate() {
            return hosted.nameplate();
        }

        @Override
        public FrameLink awaitPeer(java.time.Duration timeout) throws IOException {
            FrameLink link = hosted.awaitPeer(timeout);
            settings.observer().onLinkEvent(LinkEvent.PAIRED, "");
            return link;
        }

        @Override
        public void close() {
            hosted.close();
        }
    }
}
