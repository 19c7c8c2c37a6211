package wormhole.transport.direct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static wormhole.transport.direct.Loopback.HOST;
import static wormhole.transport.direct.Loopback.WAIT;
import static wormhole.transport.direct.Loopback.prefix;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.LinkSettings;
import wormhole.api.spi.OpeningCheck;
import wormhole.testing.TestThreads;

/** A host waiting with an opening check passes over stray connections and admits the real peer. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StrayConnectionTest {
    /** A stand-in for the SPAKE2 check: the opening is exactly "hello". */
    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);
    private static final OpeningCheck HELLO_ONLY = new OpeningCheck() {
        @Override
        public int maxLength() {
            return HELLO.length;
        }

        @Override
        public boolean accepts(byte[] frame) {
            return java.util.Arrays.equals(frame, HELLO);
        }
    };

    @RegisterExtension
    final TestThreads threads = new TestThreads();
    private final List<Socket> strays = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (Socket s : strays) {
            s.close();
        }
    }

    private static DirectHostedLink host(Duration deadline, int maxCandidates) throws IOException {
        return DirectHostedLink.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0), Duration.ofSeconds(5),
                new Doorway.Limits(deadline, maxCandidates), new LinkSettings(WAIT, (e, d) -> { }, Duration.ZERO));
    }

    private Socket stray(DirectHostedLink hosted, byte[] bytes) throws IOException {
        Socket s = new Socket(HOST, Integer.parseInt(hosted.nameplate()));
        strays.add(s);
        if (bytes.length > 0) {
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
        }
        return s;
    }

    private static byte[] frame(byte[] body) {
        byte[] all = new byte[4 + body.length];
        System.arraycopy(prefix(body.length), 0, all, 0, 4);
        System.arraycopy(body, 0, all, 4, body.length);
        return all;
    }

    /** Asserts that the host closed this connection without writing a byte to it. */
    private static void assertDropped(Socket s, Duration within) throws IOException {
        s.setSoTimeout((int) within.toMillis());
        InputStream in = s.getInputStream();
        try {
            assertEquals(-1, in.read(), "the host wrote to a stray connection");
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the host kept a stray connection open for " + within, e);
        } catch (IOException reset) {
            // a reset is a drop too
        }
    }

    private static Socket realPeer(DirectHostedLink hosted) throws IOException {
        Socket peer = new Socket(HOST, Integer.parseInt(hosted.nameplate()));
        peer.getOutputStream().write(frame(HELLO));
        peer.getOutputStream().flush();
        return peer;
    }

    /** Connects the real peer and checks that the wait returns a link to it that carries frames both ways. */
    private static void assertAdmitted(DirectHostedLink hosted, Future<FrameLink> waiting) throws Exception {
        try (Socket peer = realPeer(hosted); FrameLink link = waiting.get(5, TimeUnit.SECONDS)) {
            assertArrayEquals(HELLO, link.receive(), "the opening is the link's first frame");
            link.send(new byte[] {9});
            assertArrayEquals(frame(new byte[] {9}), peer.getInputStream().readNBytes(5));
        }
    }

    @Test
    void strayConnectionsAreDroppedAndTheRealPeerIsAdmittedWithItsOpeningFirst() throws Exception {
        try (DirectHostedLink hosted = host(Duration.ofSeconds(5), 64)) {
            Future<FrameLink> waiting = threads.submit(() -> hosted.awaitPeer(Duration.ZERO, HELLO_ONLY));
            stray(hosted, new byte[0]).close();
            Socket http = stray(hosted, "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Socket tls = stray(hosted, new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xa5, 0x01, 0x00, 0x00, (byte) 0xa1});
            Socket wrongBody = stray(hosted, frame("hellO".getBytes(StandardCharsets.US_ASCII)));
            Socket tooLong = stray(hosted, frame("hello!".getBytes(StandardCharsets.US_ASCII)));
            Socket empty = stray(hosted, prefix(0));
            for (Socket s : List.of(http, tls, wrongBody, tooLong, empty)) {
                assertDropped(s, WAIT);
            }
            assertFalse(waiting.isDone(), "a stray connection ended the wait");

            try (Socket peer = realPeer(hosted); FrameLink link = waiting.get(5, TimeUnit.SECONDS)) {
                assertArrayEquals(HELLO, link.receive(), "the opening is the link's first frame");
                peer.getOutputStream().write(frame(new byte[] {7, 8}));
                assertArrayEquals(new byte[] {7, 8}, link.receive());
                link.send(new byte[] {9});
                byte[] back = peer.getInputStream().readNBytes(5);
                assertArrayEquals(frame(new byte[] {9}), back);
                assertThrows(ConnectException.class, () -> new Socket(HOST, Integer.parseInt(hosted.nameplate())).close(),
                        "the listener closes once the peer is admitted");
            }
        }
    }

    @Test
    void aCandidateThatStallsIsDroppedAtTheDeadline() throws Exception {
        try (DirectHostedLink hosted = host(Duration.ofMillis(300), 64)) {
            Future<FrameLink> waiting = threads.submit(() -> hosted.awaitPeer(Duration.ZERO, HELLO_ONLY));
            Socket idle = stray(hosted, new byte[0]);
            Socket halfFrame = stray(hosted, new byte[] {0, 0, 0, 5, 'h', 'e'});
            long start = System.nanoTime();
            assertDropped(idle, WAIT);
            assertDropped(halfFrame, WAIT);
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsed >= 200, "dropped after " + elapsed + " ms, before its deadline");
            assertAdmitted(hosted, waiting);
        }
    }

    @Test
    void idleConnectionsBeyondTheBoundEvictTheOldestAndCannotKeepThePeerOut() throws Exception {
        try (DirectHostedLink hosted = host(Duration.ofSeconds(20), 8)) {
            Future<FrameLink> waiting = threads.submit(() -> hosted.awaitPeer(Duration.ZERO, HELLO_ONLY));
            List<Socket> idle = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                idle.add(stray(hosted, new byte[0]));
            }
            // The first 42 are evicted long before their deadline, in the order they came.
            for (Socket s : idle.subList(0, 42)) {
                assertDropped(s, WAIT);
            }
            assertAdmitted(hosted, waiting);
            // Once the peer is in, the candidates still waiting are dropped too.
            for (Socket s : idle.subList(42, 50)) {
                assertDropped(s, WAIT);
            }
        }
    }

    @Test
    void oneMebibyteOfRandomBytesIsDroppedUnread() throws Exception {
        try (DirectHostedLink hosted = host(Duration.ofSeconds(5), 64)) {
            Future<FrameLink> waiting = threads.submit(() -> hosted.awaitPeer(Duration.ZERO, HELLO_ONLY));
            byte[] noise = new byte[1 << 20];
            new java.util.Random(16).nextBytes(noise);
            noise[0] = 0x7f; // a length far over the check's maximum
            Socket s = stray(hosted, new byte[0]);
            Future<?> writing = threads.submit(() -> {
                try {
                    // Not closed here: closing a socket's stream closes the socket, which the test reads.
                    OutputStream out = s.getOutputStream();
                    out.write(noise);
                    out.flush();
                } catch (IOException expected) {
                    // the host closed it part-way
                }
                return null;
            });
            assertDropped(s, WAIT);
            writing.get(5, TimeUnit.SECONDS);
            assertFalse(waiting.isDone());
            assertAdmitted(hosted, waiting);
        }
    }

    @Test
    void aWaitWithATimeOutStillTimesOutAndClosesTheListener() throws IOException {
        try (DirectHostedLink hosted = host(Duration.ofSeconds(5), 64)) {
            int port = Integer.parseInt(hosted.nameplate());
            SocketTimeoutException timedOut = assertThrows(SocketTimeoutException.class,
                    () -> hosted.awaitPeer(Duration.ofMillis(200), HELLO_ONLY));
            assertTrue(timedOut.getMessage().contains("no peer connected to port " + port), timedOut.getMessage());
            assertThrows(ConnectException.class, () -> new Socket(HOST, port).close());
        }
    }

    @Test
    void closeUnblocksTheWaitAndDropsTheCandidates() throws Exception {
        DirectHostedLink hosted = host(Duration.ofSeconds(20), 64);
        Future<FrameLink> waiting = threads.submit(() -> hosted.awaitPeer(Duration.ZERO, HELLO_ONLY));
        Socket idle = stray(hosted, new byte[0]);
        idle.getOutputStream().write(new byte[] {0}); // reached the screening (or the backlog)
        hosted.close();
        java.util.concurrent.ExecutionException failed = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> waiting.get(5, TimeUnit.SECONDS));
        assertTrue(failed.getCause().getMessage().contains("closed"), failed.getCause().getMessage());
        assertDropped(idle, WAIT);
    }
}
