package wormhole.transport.direct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static wormhole.transport.direct.Loopback.ANY_PORT;
import static wormhole.transport.direct.Loopback.HOST;
import static wormhole.transport.direct.Loopback.WAIT;
import static wormhole.transport.direct.Loopback.settings;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.HostedLink;
import wormhole.api.spi.LinkSettings;
import wormhole.testing.BlockingCall;
import wormhole.testing.TestThreads;

@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DirectHostedLinkTest {
    private final DirectTransportProvider provider = new DirectTransportProvider();
    @RegisterExtension
    final TestThreads threads = new TestThreads();


    @Test
    void nameplateIsTheBoundPortBeforeAnyPeerArrives() throws IOException {
        try (HostedLink hosted = provider.host(ANY_PORT, settings())) {
            int port = Integer.parseInt(hosted.nameplate());
            assertTrue(port > 0 && port <= 65535, hosted.nameplate());
            // Bound already: a raw connection is taken into the backlog even though nobody accepts yet.
            try (Socket probe = new Socket(HOST, port)) {
                assertTrue(probe.isConnected());
            }
        }
    }

    @Test
    void secondConnectionIsRefusedOnceTheFirstWasAccepted() throws IOException {
        try (HostedLink hosted = provider.host(ANY_PORT, settings())) {
            int port = Integer.parseInt(hosted.nameplate());
            try (FrameLink peer = provider.connect(Loopback.peerUri(HOST, hosted), hosted.nameplate(), settings());
                 FrameLink host = hosted.awaitPeer(WAIT)) {
                assertNotNull(host);
                ConnectException refused = assertThrows(ConnectException.class,
                        () -> provider.connect(Loopback.peerUri(HOST, hosted), hosted.nameplate(), settings()));
                assertTrue(refused.getMessage().contains(":" + port), refused.getMessage());
                assertThrows(ConnectException.class, () -> new Socket(HOST, port).close());
                // and the first link still works
                peer.send(new byte[] {42});
                assertArrayEquals(new byte[] {42}, host.receive());
            }
        }
    }

    @Test
    void awaitPeerTimesOutAndClosesTheListener() throws IOException {
        try (HostedLink hosted = provider.host(ANY_PORT, settings())) {
            int port = Integer.parseInt(hosted.nameplate());
            long start = System.nanoTime();
            SocketTimeoutException timedOut = assertThrows(SocketTimeoutException.class,
                    () -> hosted.awaitPeer(Duration.ofMillis(200)));
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsedMillis >= 150 && elapsedMillis < 3000, elapsedMillis + " ms");
            assertTrue(timedOut.getMessage().contains("no peer connected to port " + port), timedOut.getMessage());
            assertThrows(ConnectException.class, () -> new Socket(HOST, port).close());
        }
    }

    @Test
    void awaitPeerCannotBeCalledTwice() throws IOException {
        try (HostedLink hosted = provider.host(ANY_PORT, settings())) {
            assertThrows(SocketTimeoutException.class, () -> hosted.awaitPeer(Duration.ofMillis(10)));
            IOException again = assertThrows(IOException.class, () -> hosted.awaitPeer(Duration.ofMillis(10)));
            assertFalse(again instanceof SocketTimeoutException);
            assertTrue(again.getMessage().contains("already waited"), again.getMessage());
        }
    }

    @Test
    void closeUnblocksAWaitingAwaitPeer() throws Exception {
        HostedLink hosted = provider.host(ANY_PORT, settings());
        int port = Integer.parseInt(hosted.nameplate());
        BlockingCall<FrameLink> result = BlockingCall.start("awaitPeer", () -> hosted.awaitPeer(Duration.ZERO))
                .awaitBlockedIn("awaitPeer");

        long start = System.nanoTime();
        hosted.close();
        Throwable failed = result.failure();
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 2000);
        assertTrue(failed instanceof IOException, String.valueOf(failed));
        assertTrue(failed.getMessage().contains("closed"), failed.getMessage());
        assertThrows(ConnectException.class, () -> new Socket(HOST, port).close());
        hosted.close(); // idempotent
    }

    @Test
    void closeBeforeAwaitPeerMakesItFail() throws IOException {
        HostedLink hosted = provider.host(ANY_PORT, settings());
        hosted.close();
        IOException failed = assertThrows(IOException.class, () -> hosted.awaitPeer(WAIT));
        assertTrue(failed.getMessage().contains("closed"), failed.getMessage());
    }

    @Test
    void closingTheHostedLinkDoesNotCloseTheAcceptedLink() throws IOException {
        Loopback.Pair pair = Loopback.pair(provider); // the pair helper closes its HostedLink
        try (pair) {
            pair.peer().send(new byte[] {1, 2, 3});
            assertArrayEquals(new byte[] {1, 2, 3}, pair.host().receive());
        }
    }

    @Test
    void bindingAPortInUseFailsClearly() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            URI busy = URI.create("tcp://127.0.0.1:" + taken.getLocalPort());
            BindException failed = assertThrows(BindException.class, () -> provider.host(busy, settings()));
            assertTrue(failed.getMessage().contains("cannot listen on"), failed.getMessage());
        }
    }

    @Test
    void connectingToAClosedPortFailsFastAndSaysWhere() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            port = free.getLocalPort();
        }
        URI closed = URI.create("tcp://127.0.0.1:" + port);
        long start = System.nanoTime();
        ConnectException refused = assertTimeoutPreemptively(Duration.ofSeconds(3),
                () -> assertThrows(ConnectException.class, () -> provider.connect(closed, "x", settings())));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 2000);
        assertTrue(refused.getMessage().contains("cannot connect to tcp://127.0.0.1:" + port), refused.getMessage());
        assertTrue(refused.getMessage().toLowerCase().contains("refused"), refused.getMessage());
    }

    @Test
    void connectGivesUpAfterTheConnectTimeout() throws IOException {
        // A listener that never accepts and whose backlog is full drops new SYNs (as Linux does),
        // so a connection attempt hangs until its time-out.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            List<Socket> fillers = new ArrayList<>();
            try {
                boolean stalled = false;
                for (int i = 0; i < 10 && !stalled; i++) {
                    Socket filler = new Socket();
                    fillers.add(filler);
                    try {
                        filler.connect(full.getLocalSocketAddress(), 300);
                    } catch (SocketTimeoutException e) {
                        stalled = true;
                    }
                }
                Assumptions.assumeTrue(stalled, "this system does not drop connections to a full backlog");
                URI where = URI.create("tcp://127.0.0.1:" + full.getLocalPort());
                LinkSettings quick = new LinkSettings(Duration.ofMillis(400), (event, detail) -> { });
                long start = System.nanoTime();
                SocketTimeoutException timedOut = assertThrows(SocketTimeoutException.class,
                        () -> provider.connect(where, "", quick));
                long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(elapsedMillis >= 350 && elapsedMillis < 3000, elapsedMillis + " ms");
                assertTrue(timedOut.getMessage().contains("no answer within 400 ms"), timedOut.getMessage());
            } finally {
                for (Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    @Test
    void ipv6LoopbackWorksWhenAvailable() throws IOException {
        Assumptions.assumeTrue(ipv6LoopbackAvailable(), "no IPv6 loopback on this machine");
        try (Loopback.Pair pair = Loopback.pair(provider, URI.create("tcp://[::1]:0"), "[::1]")) {
            pair.peer().send(new byte[] {6});
            pair.host().send(new byte[] {4});
            assertArrayEquals(new byte[] {6}, pair.host().receive());
            assertArrayEquals(new byte[] {4}, pair.peer().receive());
            assertTrue(pair.host().toString().contains("0:0:0:0:0:0:0:1"), pair.host().toString());
        }
    }

    private static boolean ipv6LoopbackAvailable() {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
