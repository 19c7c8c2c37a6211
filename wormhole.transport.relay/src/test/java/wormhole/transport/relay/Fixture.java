package wormhole.transport.relay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.HostedLink;
import wormhole.api.spi.LinkEvent;
import wormhole.api.spi.LinkSettings;
import wormhole.relayserver.RelayConfig;
import wormhole.relayserver.RelayServer;
import wormhole.testing.CuttableProxy;

/** A real relay on 127.0.0.1 (port 0) and the provider under test, with recorded link events. */
final class Fixture implements AutoCloseable {
    final RelayServer relay;
    final RelayTransportProvider provider = new RelayTransportProvider();
    final List<String> hostEvents = new CopyOnWriteArrayList<>();
    final List<String> peerEvents = new CopyOnWriteArrayList<>();
    private final List<CuttableProxy> proxies = new ArrayList<>();

    Fixture(UnaryOperator<RelayConfig.Builder> tweak) {
        relay = new RelayServer(tweak.apply(RelayConfig.builder().bindAddress("127.0.0.1").port(0).adminPort(-1)
                .log(Fixture::keepBugs)).build());
        try {
            relay.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The relay's log is dropped, but for a failure inside it, which a test report should show. */
    private static void keepBugs(String line) {
        if (line.contains("internal error")) {
            System.err.println("relay: " + line);
        }
    }

    Fixture() {
        this(b -> b);
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + relay.port());
    }

    int port() {
        return relay.port();
    }

    LinkSettings settings(List<String> events) {
        return new LinkSettings(Duration.ofSeconds(10), (LinkEvent e, String detail) -> events.add(e.name()));
    }

    HostedLink host() throws IOException {
        return provider.host(uri(), settings(hostEvents));
    }

    FrameLink connect(String channelId) throws IOException {
        return provider.connect(uri(), channelId, settings(peerEvents));
    }

    /** Opens a channel: our host, our peer; returns {host link, peer link}. */
    FrameLink[] pair() throws IOException {
        HostedLink hosted = host();
        FrameLink peer = connect(hosted.nameplate());
        FrameLink host = hosted.awaitPeer(Duration.ofSeconds(5));
        return new FrameLink[] {host, peer};
    }

    /**
     * A channel whose two sides reach the relay through proxies of their own, so that a test can cut
     * one side's connection from outside, as a network failure would.
     */
    record Cuttable(FrameLink host, FrameLink peer, CuttableProxy hostProxy, CuttableProxy peerProxy) {
    }

    /** Opens a channel as {@link #pair()} does, each side through its own {@link CuttableProxy}. */
    Cuttable pairCuttable() throws IOException {
        CuttableProxy hostProxy = proxy();
        CuttableProxy peerProxy = proxy();
        HostedLink hosted = provider.host(URI.create("ws://127.0.0.1:" + hostProxy.port()), settings(hostEvents));
        FrameLink peer = provider.connect(URI.create("ws://127.0.0.1:" + peerProxy.port()), hosted.nameplate(),
                settings(peerEvents));
        FrameLink host = hosted.awaitPeer(Duration.ofSeconds(5));
        return new Cuttable(host, peer, hostProxy, peerProxy);
    }

    private CuttableProxy proxy() throws IOException {
        CuttableProxy proxy = CuttableProxy.start(relay.port());
        proxies.add(proxy);
        return proxy;
    }

    @Override
    public void close() {
        relay.stop();
        for (CuttableProxy proxy : proxies) {
            try {
                proxy.close();
            } catch (IOException e) {
                // the test is over; the proxy's threads are daemons
            }
        }
    }
}
