package wormhole.transport.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.FrameTooLargeException;
import wormhole.api.spi.HostedLink;
import wormhole.api.spi.LinkSettings;
import wormhole.api.spi.TransportProvider;
import wormhole.testing.TestClient;

/** Pairing through a real relay: our join both ways, and the Python join on either side. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PairingTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theProviderIsDeclaredForServiceLoaderAndServesWsAndWss() {
        var provides = RelayTransportProvider.class.getModule().getDescriptor().provides();
        assertTrue(provides.stream().anyMatch(pr -> pr.service().equals(TransportProvider.class.getName())
                && pr.providers().equals(java.util.List.of(RelayTransportProvider.class.getName()))), provides.toString());
        TransportProvider p = new RelayTransportProvider();
        assertEquals("relay", p.name());
        assertTrue(p.supports(URI.create("ws://relay.example:4747")));
        assertTrue(p.supports(URI.create("wss://relay.example/ws")));
        assertTrue(!p.supports(URI.create("tcp://relay.example:4747")));
    }

    @Test
    void ourHostGetsANameplateAndOurPeerJoinsIt() throws IOException {
        try (Fixture f = new Fixture()) {
            HostedLink hosted = f.host();
            assertTrue(hosted.nameplate().matches("[1-9][0-9]*"), hosted.nameplate());
            FrameLink peer = f.connect(hosted.nameplate());
            FrameLink host = hosted.awaitPeer(Duration.ofSeconds(5));
            host.send(b("spake-A"));
            peer.send(b("spake-B"));
            assertArrayEquals(b("spake-A"), peer.receive());
            assertArrayEquals(b("spake-B"), host.receive());
            host.send(new byte[0]);
            assertArrayEquals(new byte[0], peer.receive());
            assertTrue(f.hostEvents.containsAll(java.util.List.of("WAITING", "PAIRED")), f.hostEvents.toString());
            peer.close();
            assertThrows(EOFException.class, host::receive);
            host.close();
        }
    }

    @Test
    void ourPeerJoinsAPythonHostWithTheLegacyCodeAndGetsItsEarlyFrame() throws Exception {
        try (Fixture f = new Fixture()) {
            TestClient python = TestClient.pythonJoin(f.port(), "apple-banana-cherry", "host");
            assertEquals("{\"type\":\"status\",\"event\":\"waiting\"}", python.rawText());
            python.send(b("python-spake"));
            FrameLink peer = f.connect("apple-banana-cherry");
            // As from the reference relay, the waiting Python host hears nothing of the pairing.
            assertArrayEquals(b("python-spake"), peer.receive());
            peer.send(b("java-spake"));
            peer.send(b("second"));
            assertArrayEquals(b("java-spake"), python.binary(), "one frame per message for a Python side");
            assertArrayEquals(b("second"), python.binary());
            peer.close();
        }
    }

    @Test
    void aPythonPeerWithTheFullCodeReachesOurHost() throws Exception {
        try (Fixture f = new Fixture()) {
            HostedLink hosted = f.host();
            TestClient python = TestClient.pythonJoin(f.port(), hosted.nameplate() + "-apple-banana-cherry", "peer");
            FrameLink host = hosted.awaitPeer(Duration.ofSeconds(5));
            assertEquals("{\"type\":\"status\",\"event\":\"paired\"}", python.rawText());
            host.send(b("one"));
            host.send(b("two"));
            assertArrayEquals(b("one"), python.binary());
            assertArrayEquals(b("two"), python.binary());
            python.send(b("three"));
            assertArrayEquals(b("three"), host.receive());
            python.close();
            assertThrows(EOFException.class, host::receive);
        }
    }

    @Test
    void ourHostUnderALegacyCodeTakesAPythonPeerAtOurRelay() throws Exception {
        try (Fixture f = new Fixture()) {
            HostedLink hosted = f.provider.host(f.uri(), "apple-banana-cherry", f.settings(f.hostEvents));
            assertEquals("", hosted.nameplate(), "the relay assigns no nameplate to a chosen code");
            TestClient python = TestClient.pythonJoin(f.port(), "apple-banana-cherry", "peer");
            assertEquals("{\"type\":\"status\",\"event\":\"paired\"}", python.rawText());
            python.send(b("python-spake"));
            FrameLink host = hosted.awaitPeer(Duration.ofSeconds(5));
            assertArrayEquals(b("python-spake"), host.receive());
            host.send(b("java-spake"));
            host.send(b("second"));
            assertArrayEquals(b("java-spake"), python.binary(), "one frame per message for a Python side");
            assertArrayEquals(b("second"), python.binary());
            python.close();
            assertThrows(EOFException.class, host::receive);
        }
    }

    @Test
    void atARelayWithoutAWelcomeOurLegacyHostCountsThePeersFirstFrameAsThePairing() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        List<String> joins = new CopyOnWriteArrayList<>();
        try (HostileRelay relay = HostileRelay.start(r -> {
            // As the reference relay: the host's join gets "waiting", and then only the peer's frames.
            joins.add(r.nextText(5));
            r.text("{\"type\": \"status\", \"event\": \"waiting\"}");
            r.awaitGo();
            r.binary(b("python-spake"));
        })) {
            HostedLink hosted = new RelayTransportProvider().host(relay.uri(), "apple-banana-cherry",
                    new LinkSettings(Duration.ofSeconds(5), (e, detail) -> events.add(e.name())));
            String join = joins.get(0);
            assertTrue(join.contains("\"code\":\"apple-banana-cherry\"") && join.contains("\"role\":\"host\""), join);
            assertEquals(List.of("WAITING"), events, "no peer yet");
            relay.go();
            FrameLink host = hosted.awaitPeer(Duration.ofSeconds(5));
            assertArrayEquals(b("python-spake"), host.receive());
            host.send(b("java-spake"));
            assertArrayEquals(b("java-spake"), relay.nextBinary(5), "one frame per message, as version 1");
            // The observer hears PAIRED on the connection's thread, just after awaitPeer may return.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (events.size() < 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(List.of("WAITING", "PAIRED"), events);
            host.close();
        }
    }

    @Test
    void aPeerCannotJoinANameplateWhoseHostHasGone() throws IOException {
        try (Fixture f = new Fixture()) {
            HostedLink hosted = f.host();
            String nameplate = hosted.nameplate();
            hosted.close();
            IOException e = assertThrows(IOException.class, () -> f.connect(nameplate));
            assertTrue(e.getMessage().contains("no host is waiting"), e.getMessage());
        }
    }

    @Test
    void aThirdPartyCannotJoinAPairedNameplate() throws IOException {
        try (Fixture f = new Fixture()) {
            HostedLink hosted = f.host();
            FrameLink peer = f.connect(hosted.nameplate());
            FrameLink host = hosted.awaitPeer(Duration.ofSeconds(5));
            IOException e = assertThrows(IOException.class, () -> f.connect(hosted.nameplate()));
            assertTrue(e.getMessage().contains("already has its peer"), e.getMessage());
            host.send(b("unharmed"));
            assertArrayEquals(b("unharmed"), peer.receive());
        }
    }

    @Test
    void awaitPeerTimesOutAndThenTheNameplateIsClosed() throws IOException {
        try (Fixture f = new Fixture()) {
            HostedLink hosted = f.host();
            assertThrows(SocketTimeoutException.class, () -> hosted.awaitPeer(Duration.ofMillis(200)));
            assertThrows(IOException.class, () -> f.connect(hosted.nameplate()));
        }
    }

    @Test
    void aFrameOverTheAnnouncedLimitIsRefusedBeforeSending() throws IOException {
        try (Fixture f = new Fixture(b -> b.maxFrameBytes(4096).bufferBytes(1 << 20).bytesPerWindow(1 << 20))) {
            FrameLink[] p = f.pair();
            assertEquals(4096, p[0].maxFrameSize());
            assertThrows(FrameTooLargeException.class, () -> p[0].send(new byte[4097]));
            p[0].send(new byte[4096]);
            assertEquals(4096, p[1].receive().length);
        }
    }

    @Test
    void aRelayErrorMakesReceiveAndSendThrowTheRelaysMessage() throws Exception {
        try (Fixture f = new Fixture(b -> b.maxFrameBytes(4096).bufferBytes(1 << 20).bytesPerWindow(1 << 20))) {
            HostedLink hosted = f.host();
            TestClient python = TestClient.pythonJoin(f.port(), hosted.nameplate(), "peer");
            FrameLink host = hosted.awaitPeer(Duration.ofSeconds(5));
            python.send(new byte[8000]); // a misbehaving peer
            IOException e = assertThrows(IOException.class, host::receive);
            assertTrue(e.getMessage().startsWith("relay: ") && e.getMessage().contains("4096-byte limit"), e.getMessage());
            IOException s = assertThrows(IOException.class, () -> host.send(b("x")));
            assertTrue(s.getMessage().contains("4096-byte limit"), s.getMessage());
        }
    }

    @Test
    void aStoppedRelayMakesBothEndsFailWithAClearMessage() throws IOException {
        try (Fixture f = new Fixture()) {
            FrameLink[] p = f.pair();
            f.relay.stop();
            for (FrameLink link : p) {
                IOException e = assertThrows(IOException.class, link::receive);
                assertTrue(e.getMessage().contains("shutting down"), e.getMessage());
            }
        }
    }
}
