package wormhole.transport.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import wormhole.api.Channel;
import wormhole.api.ChannelCode;
import wormhole.api.ChannelEvent;
import wormhole.api.EndReason;
import wormhole.api.Feature;
import wormhole.api.Wormhole;
import wormhole.api.WormholeException;
import wormhole.api.spi.LinkEvent;
import wormhole.testing.Events;

/**
 * Whole channels through the memory transport, using only the public API: the provider is found
 * with {@link java.util.ServiceLoader}, exactly as a third party's transport would be.
 */
@Timeout(20)
class MemoryChannelTest {
    private static final AtomicInteger NAMES = new AtomicInteger();

    @TempDir
    Path hostInbox;
    @TempDir
    Path peerInbox;
    @TempDir
    Path outbox;

    private final URI rendezvous = URI.create("mem://test-" + NAMES.incrementAndGet());
    private final List<Channel> opened = new ArrayList<>();
    private final Events hostEvents = new Events();
    private final Events peerEvents = new Events();

    @AfterEach
    void closeChannels() {
        opened.forEach(Channel::close);
    }

    private Wormhole.Builder builder(Path inbox) {
        return Wormhole.builder().inbox(inbox).handshakeTimeout(Duration.ofSeconds(5));
    }

    private Channel host(Wormhole.Builder b) throws WormholeException {
        Channel c = b.build().host(rendezvous, hostEvents);
        opened.add(c);
        return c;
    }

    private Channel connect(Wormhole.Builder b, ChannelCode code) throws WormholeException {
        Channel c = b.build().connect(rendezvous, code, peerEvents);
        opened.add(c);
        return c;
    }

    /** Opens a host and a peer with the same code and waits until both are connected. */
    private Channel[] pair(Wormhole.Builder hostBuilder, Wormhole.Builder peerBuilder) throws Exception {
        Channel host = host(hostBuilder);
        Channel peer = connect(peerBuilder, host.code());
        hostEvents.next(ChannelEvent.Connected.class);
        peerEvents.next(ChannelEvent.Connected.class);
        return new Channel[] {host, peer};
    }

    private Channel[] pair() throws Exception {
        return pair(builder(hostInbox), builder(peerInbox));
    }

    @Test
    void providerIsFoundThroughServiceLoader() {
        assertTrue(Wormhole.builder().build().transportNames().contains("memory"));
    }

    @Test
    void hostedCodeCarriesTheNameplate() throws Exception {
        Channel host = host(builder(hostInbox));
        assertTrue(host.code().nameplate().matches("[0-9]+"), "nameplate: " + host.code().nameplate());
        assertEquals(ChannelCode.DEFAULT_WORDS, host.code().words().size());
        assertFalse(host.isConnected());
    }

    @Test
    void bothEndsConnectWithEqualVerifiers() throws Exception {
        Channel host = host(builder(hostInbox));
        Channel peer = connect(builder(peerInbox), host.code());
        ChannelEvent.Connected atHost = hostEvents.next(ChannelEvent.Connected.class);
        ChannelEvent.Connected atPeer = peerEvents.next(ChannelEvent.Connected.class);
        assertFalse(atHost.verifier().isEmpty());
        assertEquals(atHost.verifier(), atPeer.verifier());
        assertEquals(host.verifier(), peer.verifier());
        assertTrue(host.isConnected() && peer.isConnected());
        assertEquals(Set.of(Feature.values()), atHost.peerFeatures());
        assertEquals("agent-wormhole-java", atPeer.peerName());
        assertTrue(hostEvents.linkEvents().stream().anyMatch(e -> e.event() == LinkEvent.WAITING));
        assertTrue(peerEvents.linkEvents().stream().anyMatch(e -> e.event() == LinkEvent.PAIRED));
    }

    @Test
    void textTravelsBothWays() throws Exception {
        Channel[] ends = pair();
        ends[0].sendText("hello from the host");
        ends[1].sendText("hello from the peer ✓");
        assertEquals("hello from the host", peerEvents.next(ChannelEvent.TextReceived.class).body());
        assertEquals("hello from the peer ✓", hostEvents.next(ChannelEvent.TextReceived.class).body());
    }

    @Test
    void longTextIsSavedToAPrivateFile() throws Exception {
        Channel[] ends = pair();
        String text = "0123456789abcdef".repeat(100);
        ends[0].sendText(text);
        ChannelEvent.TextSaved saved = peerEvents.next(ChannelEvent.TextSaved.class);
        assertEquals(text.length(), saved.size());
        assertEquals(text, Files.readString(saved.savedTo(), StandardCharsets.UTF_8));
        assertTrue(saved.savedTo().startsWith(peerInbox));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(saved.savedTo())));
    }

    @Test
    void filesTravelBothWays() throws Exception {
        Channel[] ends = pair();
        byte[] toPeer = new byte[70_000];
        for (int i = 0; i < toPeer.length; i++) {
            toPeer[i] = (byte) (i * 31);
        }
        Path a = Files.write(outbox.resolve("a.bin"), toPeer);
        Path b = Files.writeString(outbox.resolve("b.json"), "{\"a\":1}\n");
        ends[0].sendFile(a, "data.bin");
        ends[1].sendFile(b, "config.json");

        ChannelEvent.FileReceived atPeer = peerEvents.next(ChannelEvent.FileReceived.class);
        assertEquals("data.bin", atPeer.name());
        assertEquals(toPeer.length, atPeer.size());
        assertArrayEquals(toPeer, Files.readAllBytes(atPeer.savedTo()));
        assertEquals(peerInbox.resolve("data.bin"), atPeer.savedTo());

        ChannelEvent.FileReceived atHost = hostEvents.next(ChannelEvent.FileReceived.class);
        assertEquals("config.json", atHost.name());
        assertEquals("{\"a\":1}\n", Files.readString(atHost.savedTo()));
        assertEquals(hostInbox.resolve("config.json"), atHost.savedTo());
    }

    @Test
    void wrongCodeFailsTheHandshakeAtBothEndsAndDeliversNothing() throws Exception {
        Channel host = host(builder(hostInbox));
        List<String> words = new ArrayList<>(host.code().words());
        words.set(0, words.get(0).equals("zebra") ? "apple" : "zebra");
        Channel peer = connect(builder(peerInbox), new ChannelCode(host.code().nameplate(), words));

        hostEvents.ended(EndReason.HANDSHAKE_FAILED);
        peerEvents.ended(EndReason.HANDSHAKE_FAILED);
        assertFalse(host.isConnected());
        assertFalse(peer.isConnected());
        assertTrue(host.verifier().isEmpty() || !host.verifier().equals(peer.verifier()));
        assertThrows(WormholeException.class, () -> peer.sendText("secret"));
        assertTrue(hostEvents.pending().isEmpty());
        assertTrue(peerEvents.pending().isEmpty());
        try (var inbox = Files.list(hostInbox)) {
            assertEquals(0, inbox.count());
        }
    }

    @Test
    void closeWithTheCloseFeatureEndsTheOtherEndAsPeerClosed() throws Exception {
        Channel[] ends = pair();
        ends[0].close();
        hostEvents.ended(EndReason.CLOSED);
        peerEvents.ended(EndReason.PEER_CLOSED);
        assertFalse(ends[1].isConnected());
    }

    @Test
    void closeWithoutTheCloseFeatureEndsTheOtherEndAsDisconnected() throws Exception {
        Channel[] ends = pair(builder(hostInbox), builder(peerInbox).features(Set.of()));
        ends[1].close();
        peerEvents.ended(EndReason.CLOSED);
        hostEvents.ended(EndReason.DISCONNECTED);
    }

    @Test
    void inactivityEndsTheChannelWithTimeout() throws Exception {
        Duration idle = Duration.ofMillis(300);
        long start = System.nanoTime();
        pair(builder(hostInbox).inactivityTimeout(idle), builder(peerInbox));
        hostEvents.ended(EndReason.TIMEOUT);
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsed >= idle.toMillis(), "ended after " + elapsed + " ms");
        // The host says goodbye on its way out, since both ends know the close feature.
        peerEvents.ended(EndReason.PEER_CLOSED);
    }

    @Test
    void sendingBeforeTheHandshakeIsNotConnected() throws Exception {
        Channel host = host(builder(hostInbox));
        WormholeException e = assertThrows(WormholeException.class, () -> host.sendText("too early"));
        assertEquals(WormholeException.Failure.NOT_CONNECTED, e.failure());
    }

    @Test
    void sendingAfterCloseIsClosed() throws Exception {
        Channel[] ends = pair();
        ends[0].close();
        hostEvents.ended(EndReason.CLOSED);
        WormholeException text = assertThrows(WormholeException.class, () -> ends[0].sendText("late"));
        assertEquals(WormholeException.Failure.CLOSED, text.failure());
        Path f = Files.writeString(outbox.resolve("late.txt"), "late");
        WormholeException file = assertThrows(WormholeException.class, () -> ends[0].sendFile(f, "late.txt"));
        assertEquals(WormholeException.Failure.CLOSED, file.failure());
    }

    @Test
    void connectingToANameplateNobodyHostsFailsToConnect() throws Exception {
        Channel peer = connect(builder(peerInbox), ChannelCode.parse("999-apple-banana-cherry"));
        peerEvents.ended(EndReason.CONNECTION_FAILED);
        assertFalse(peer.isConnected());
    }

    @Test
    void aCodeOpensOneChannelOnly() throws Exception {
        Channel[] ends = pair();
        Events third = new Events();
        Channel late = Wormhole.builder().inbox(outbox).build().connect(rendezvous, ends[0].code(), third);
        opened.add(late);
        third.ended(EndReason.CONNECTION_FAILED);
        assertTrue(ends[0].isConnected());
    }
}
