package wormhole.transport.direct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static wormhole.transport.direct.Loopback.HOST;
import static wormhole.transport.direct.Loopback.WAIT;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.HostedLink;
import wormhole.api.spi.LinkEvent;
import wormhole.api.spi.LinkSettings;
import wormhole.api.spi.OpeningCheck;
import wormhole.api.spi.ResumableLink;
import wormhole.api.spi.ResumeKeys;
import wormhole.testing.CuttableProxy;
import wormhole.testing.TestThreads;

/** Two resuming direct links through a proxy that cuts their connections. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ResumingLinkTest {
    private static final byte[] OPENING = "opening".getBytes(StandardCharsets.US_ASCII);
    private static final OpeningCheck CHECK = new OpeningCheck() {
        @Override
        public int maxLength() {
            return OPENING.length;
        }

        @Override
        public boolean accepts(byte[] frame) {
            return java.util.Arrays.equals(frame, OPENING);
        }
    };

    private final DirectTransportProvider provider = new DirectTransportProvider(Duration.ofSeconds(10));
    @RegisterExtension
    final TestThreads threads = new TestThreads();
    private final List<LinkEvent> hostEvents = new CopyOnWriteArrayList<>();
    private final List<LinkEvent> peerEvents = new CopyOnWriteArrayList<>();
    private HostedLink hosted;
    private CuttableProxy proxy;
    private ResumableLink host;
    private ResumableLink peer;

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {host, peer, hosted, proxy}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static ResumeKeys keys(int seed) {
        byte[] h = new byte[32];
        byte[] p = new byte[32];
        java.util.Arrays.fill(h, (byte) seed);
        java.util.Arrays.fill(p, (byte) (seed + 1));
        return new ResumeKeys(h, p);
    }

    /** Pairs a host and a peer through the proxy, exchanges the opening, and agrees to resume. */
    private void pair(Duration limit) throws Exception {
        hosted = provider.host(URI.create("tcp://127.0.0.1:0"),
                new LinkSettings(WAIT, (e, d) -> hostEvents.add(e), limit));
        proxy = CuttableProxy.start(Integer.parseInt(hosted.nameplate()));
        Future<FrameLink> waiting = threads.submit(() -> hosted.awaitPeer(Duration.ZERO, CHECK));
        peer = (ResumableLink) provider.connect(URI.create("tcp://127.0.0.1:" + proxy.port()), "",
                new LinkSettings(WAIT, (e, d) -> peerEvents.add(e), limit));
        peer.send(OPENING);
        host = (ResumableLink) waiting.get(5, TimeUnit.SECONDS);
        assertArrayEquals(OPENING, host.receive());
        assertTrue(host.offersResume() && peer.offersResume());
        host.resumeAgreed(keys(1));
        peer.resumeAgreed(keys(1));
    }

    private static byte[] numbered(int i, int size) {
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(i);
        while (b.hasRemaining()) {
            b.put((byte) (i * 7 + b.position()));
        }
        return b.array();
    }

    /**
     * An end reports {@code RECONNECTED} once it has resent what it must, which may be a moment after
     * the other end's frames already flow on the new connection: waits up to 5 s for it.
     */
    private static boolean reported(List<LinkEvent> events, LinkEvent event) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!events.contains(event) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return events.contains(event);
    }

    /** Sends count frames from one link and checks that the other gets each once, in order. */
    private Future<Void> stream(FrameLink from, int count, int size) {
        return threads.submit(() -> {
            for (int i = 0; i < count; i++) {
                from.send(numbered(i, size));
            }
            return null;
        });
    }

    private static void expect(FrameLink to, int count, int size) throws IOException {
        for (int i = 0; i < count; i++) {
            byte[] got = to.receive();
            assertEquals(i, ByteBuffer.wrap(got).getInt(), "frame out of order or repeated");
            assertArrayEquals(numbered(i, size), got);
        }
    }

    @Test
    void framesBothWaysArriveOnceAndInOrderAcrossRepeatedCuts() throws Exception {
        pair(Duration.ofSeconds(20));
        int count = 3000;
        int size = 16 * 1024;
        Future<Void> down = stream(host, count, size);
        Future<Void> up = stream(peer, count, size);
        Future<Void> cutter = threads.submit(() -> {
            for (int i = 0; i < 5; i++) {
                Thread.sleep(150);
                proxy.cut();
            }
            return null;
        });
        Future<?> readUp = threads.submit(() -> {
            expect(host, count, size);
            return null;
        });
        expect(peer, count, size);
        readUp.get(30, TimeUnit.SECONDS);
        down.get(5, TimeUnit.SECONDS);
        up.get(5, TimeUnit.SECONDS);
        cutter.get(5, TimeUnit.SECONDS);
        assertTrue(proxy.accepted() >= 2, "the peer came back through the proxy: " + proxy.accepted());
        assertTrue(peerEvents.contains(LinkEvent.RECONNECTING) && reported(peerEvents, LinkEvent.RECONNECTED), peerEvents.toString());
        assertTrue(reported(hostEvents, LinkEvent.RECONNECTED), hostEvents.toString());
    }

    /**
     * An end whose user only sends, and no longer receives, must still take the other end's
     * confirmations: more than {@link ResumingLink#KEEP_BYTES} goes up while nothing is read at the
     * peer (as in the test above once the peer has all its frames and the host is still reading).
     */
    @Test
    void anEndThatSendsWithoutReceivingIsNotHeldUpByItsOwnUnreadConfirmations() throws Exception {
        pair(Duration.ofSeconds(20));
        int size = 16 * 1024;
        int count = (int) (3 * ResumingLink.KEEP_BYTES / size);
        Future<Void> up = stream(peer, count, size);
        Future<?> readUp = threads.submit(() -> {
            expect(host, count, size);
            return null;
        });
        readUp.get(30, TimeUnit.SECONDS);
        up.get(5, TimeUnit.SECONDS);
        host.send(new byte[] {7});
        assertArrayEquals(new byte[] {7}, peer.receive());
        peer.send(new byte[] {8});
        assertArrayEquals(new byte[] {8}, host.receive());
    }

    @Test
    void aConnectionThatFallsSilentWithoutClosingIsTakenForDroppedAndResumed() throws Exception {
        pair(Duration.ofSeconds(30));
        host.send(numbered(0, 100));
        assertArrayEquals(numbered(0, 100), peer.receive());
        proxy.freeze();
        long start = System.nanoTime();
        Future<Void> down = stream(host, 50, 1000);
        Future<?> up = threads.submit(() -> {
            expect(host, 20, 2000);
            return null;
        });
        Future<Void> sending = stream(peer, 20, 2000);
        // What was sent into the silence arrives once the silence counted as a drop and the peer came back.
        for (int i = 0; i < 50; i++) {
            assertEquals(i, ByteBuffer.wrap(peer.receive()).getInt());
        }
        up.get(30, TimeUnit.SECONDS);
        down.get(5, TimeUnit.SECONDS);
        sending.get(5, TimeUnit.SECONDS);
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(elapsed >= ResumingLink.SILENCE.toMillis() - 2000, "resumed after " + elapsed + " ms, before any silence");
        assertEquals(2, proxy.accepted(), "the peer came back once");
        assertTrue(reported(peerEvents, LinkEvent.RECONNECTED) && reported(hostEvents, LinkEvent.RECONNECTED),
                hostEvents + " " + peerEvents);
    }

    @Test
    void aThirdPartyWithoutTheKeysIsRefusedAndTheLinkGoesOn() throws Exception {
        pair(Duration.ofSeconds(10));
        int port = Integer.parseInt(hosted.nameplate());
        try (Socket stranger = new Socket(HOST, port)) {
            stranger.setSoTimeout(5000);
            OutputStream out = stranger.getOutputStream();
            out.write(ByteBuffer.allocate(4 + ResumeProof.REQUEST_LENGTH).putInt(ResumeProof.REQUEST_LENGTH)
                    .put(ResumeProof.MAGIC).put(ResumeProof.VERSION).put(new byte[32]).array());
            byte[] challenge = stranger.getInputStream().readNBytes(4 + 32);
            assertEquals(36, challenge.length, "a resume request gets a challenge");
            out.write(ByteBuffer.allocate(4 + 40).putInt(40).putLong(0).put(new byte[32]).array());
            assertEquals(-1, stranger.getInputStream().read(), "a wrong proof is closed without an answer");
        }
        host.send(new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, peer.receive());
        peer.send(new byte[] {4});
        assertArrayEquals(new byte[] {4}, host.receive());
        assertTrue(hostEvents.isEmpty() && peerEvents.isEmpty(), hostEvents + " " + peerEvents);
    }

    @Test
    void aDropLongerThanTheLimitFailsBothEnds() throws Exception {
        pair(Duration.ofSeconds(2));
        host.send(new byte[] {1});
        assertArrayEquals(new byte[] {1}, peer.receive());
        proxy.refuse(true);
        proxy.cut();
        long start = System.nanoTime();
        IOException atPeer = assertThrows(IOException.class, peer::receive);
        IOException atHost = assertThrows(IOException.class, host::receive);
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(elapsed >= 1500 && elapsed < 8000, elapsed + " ms");
        assertTrue(atPeer.getMessage().contains("did not come back within 2 s"), atPeer.getMessage());
        assertTrue(atHost.getMessage().contains("did not come back within 2 s"), atHost.getMessage());
    }

    @Test
    void aDeliberateCloseIsAnEndOfStreamAtTheOtherEndWithoutWaiting() throws Exception {
        pair(Duration.ofSeconds(30));
        peer.close();
        assertInstanceOf(EOFException.class, assertThrows(IOException.class, host::receive));
    }

    @Test
    void aDeclinedLinkClosesTheListenerAndFailsOnADropAsBefore() throws Exception {
        hosted = provider.host(URI.create("tcp://127.0.0.1:0"), new LinkSettings(WAIT, (e, d) -> { }, Duration.ofSeconds(30)));
        int port = Integer.parseInt(hosted.nameplate());
        Future<FrameLink> waiting = threads.submit(() -> hosted.awaitPeer(Duration.ZERO, CHECK));
        peer = (ResumableLink) provider.connect(URI.create("tcp://127.0.0.1:" + port), "", Loopback.settings());
        peer.send(OPENING);
        host = (ResumableLink) waiting.get(5, TimeUnit.SECONDS);
        assertArrayEquals(OPENING, host.receive());
        host.resumeDeclined();
        peer.resumeDeclined();
        assertThrows(java.net.ConnectException.class, () -> new Socket(HOST, port).close());
        peer.close();
        assertInstanceOf(EOFException.class, assertThrows(IOException.class, host::receive));
    }
}
