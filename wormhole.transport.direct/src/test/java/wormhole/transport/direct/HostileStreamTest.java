package wormhole.transport.direct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static wormhole.transport.direct.Loopback.prefix;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.FrameTooLargeException;
import wormhole.testing.TestThreads;

/** Whatever connects to a direct port may send anything; the link must fail cleanly and fast. */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileStreamTest {
    private static final Duration STALL = Duration.ofMillis(400);
    private static final Duration FAST = Duration.ofSeconds(2);

    private final DirectTransportProvider provider = new DirectTransportProvider(STALL);
    @RegisterExtension
    final TestThreads threads = new TestThreads();


    @Test
    void fourGibLengthIsRefusedBeforeAnyAllocation() throws IOException {
        try (Loopback.RawPeer peer = Loopback.rawPeer(provider)) {
            peer.write((byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF);
            FrameTooLargeException refused = assertTimeoutPreemptively(FAST,
                    () -> assertThrows(FrameTooLargeException.class, peer.link()::receive));
            assertTrue(refused.getMessage().contains("4294967295"), refused.getMessage());
        }
    }

    @Test
    void twoGibLengthIsRefusedUnderASmallHeap() throws IOException {
        // Under the module's -Xmx128m, allocating for this length would be an OutOfMemoryError.
        assertTrue(Runtime.getRuntime().maxMemory() < Integer.MAX_VALUE,
                "the test heap must be too small for a 2 GiB frame: " + Runtime.getRuntime().maxMemory());
        try (Loopback.RawPeer peer = Loopback.rawPeer(provider)) {
            peer.write(prefix(Integer.MAX_VALUE));
            assertTimeoutPreemptively(FAST, () -> assertThrows(FrameTooLargeException.class, peer.link()::receive));
        }
    }

    @Test
    void oneByteOverTheLimitIsRefusedAndExactlyTheLimitIsAccepted() throws Exception {
        try (Loopback.RawPeer peer = Loopback.rawPeer(provider)) {
            byte[] frame = Loopback.pattern(FrameLink.MAX_FRAME_SIZE, 5);
            Future<byte[]> received = threads.submit(peer.link()::receive);
            peer.write(prefix(FrameLink.MAX_FRAME_SIZE));
            peer.write(frame);
            assertArrayEquals(frame, received.get(10, TimeUnit.SECONDS));
        }
        try (Loopback.RawPeer peer = Loopback.rawPeer(provider)) {
            peer.write(prefix(FrameLink.MAX_FRAME_SIZE + 1L));
            FrameTooLargeException refused = assertThrows(FrameTooLargeException.class, peer.link()::receive);
            assertTrue(refused.getMessage().contains(Long.toString(FrameLink.MAX_FRAME_SIZE + 1L)));
        }
    }

    @Test
    void tooLargeIsAlsoRefusedOnTheConnectingSide() throws Exception {
        try (ServerSocket raw = new ServerSocket(0, 1, InetAddress.getByName(Loopback.HOST))) {
            URI where = URI.create("tcp://127.0.0.1:" + raw.getLocalPort());
            try (FrameLink link = provider.connect(where, "", Loopback.settings());
                 Socket rawHost = raw.accept()) {
                rawHost.getOutputStream().write(prefix(0xFFFF_FFFFL));
                assertTimeoutPreemptively(FAST, () -> assertThrows(FrameTooLargeException.class, link::receive));
            }
        }
    }

    @Test
    void garbageIsRefusedAndTheLinkStaysBroken() throws IOException {
        try (Loopback.RawPeer peer = Loopback.rawPeer(provider)) {
            peer.write("GET / HTTP/1.1\r\nHost: example\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTimeoutPreemptively(FAST, () -> assertThrows(FrameTooLargeException.class, peer.link()::receive));
            // The stream is out of step now: no later receive may read the rest as a frame.
            IOException again = assertThrows(IOException.class, peer.link()::receive);
            assertFalse(again instanceof FrameTooLargeException);
            assertTrue(again.getMessage().contains("earlier receive failed"), again.getMessage());
        }
    }

    @Test
    void halfAFrameThenStallFailsWithinTheBound() throws IOException {
        try (Loopback.RawPeer peer = Loopback.rawPeer(provider)) {
            peer.write(prefix(100));
            peer.write(new byte[50]);
            long start = System.nanoTime();
            IOException stalled = assertTimeoutPreemptively(FAST, () -> assertThrows(IOException.class, peer.link()::receive));
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsedMillis >= STALL.toMillis() - 50, elapsedMillis + " ms");
            assertFalse(stalled instanceof EOFException);
            assertTrue(stalled.getMessage().contains("stalled"), stalled.getMessage());
            assertTrue(stalled.getMessage().contains("50 of 100 bytes"), stalled.getMessage());
        }
    }

    @Test
    void stallInsideTheLengthPrefixAlsoFails() throws IOException {
        try (Loopback.RawPeer peer = Loopback.rawPeer(provider)) {
            peer.write((byte) 0, (byte) 0);
            IOException stalled = assertTimeoutPreemptively(FAST, () -> assertThrows(IOException.class, peer.link()::receive));
            assertTrue(stalled.getMessage().contains("stalled"), stalled.getMessage());
        }
    }

    @Test
    void quietTimeBetweenFramesIsNotLimited() throws Exception {
        try (Loopback.RawPeer peer = Loopback.rawPeer(provider)) {
            Future<byte[]> received = threads.submit(peer.link()::receive);
            Thread.sleep(STALL.toMillis() * 3);
            assertFalse(received.isDone());
            peer.write(prefix(3));
            peer.write((byte) 1, (byte) 2, (byte) 3);
            assertArrayEquals(new byte[] {1, 2, 3}, received.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aSlowFrameWhoseBytesKeepComingIsNotAStall() throws Exception {
        try (Loopback.RawPeer peer = Loopback.rawPeer(provider)) {
            Future<byte[]> received = threads.submit(peer.link()::receive);
            peer.write(prefix(8));
            for (int i = 0; i < 8; i++) { // 8 pauses of half the bound: twice the bound in all
                Thread.sleep(STALL.toMillis() / 2);
                peer.write((byte) i);
            }
            assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5, 6, 7}, received.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void halfAFrameThenCloseIsATruncatedFrameNotEndOfStream() throws IOException {
        try (Loopback.RawPeer peer = Loopback.rawPeer(provider)) {
            peer.write(prefix(100));
            peer.write(new byte[30]);
            peer.raw().close();
            IOException truncated = assertTimeoutPreemptively(FAST, () -> assertThrows(IOException.class, peer.link()::receive));
            assertFalse(truncated instanceof EOFException, String.valueOf(truncated));
            assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
            assertTrue(truncated.getMessage().contains("30 of 100 bytes"), truncated.getMessage());
        }
    }

    @Test
    void closeInsideTheLengthPrefixIsATruncatedFrame() throws IOException {
        try (Loopback.RawPeer peer = Loopback.rawPeer(provider)) {
            peer.write((byte) 0, (byte) 0, (byte) 1);
            peer.raw().close();
            IOException truncated = assertTimeoutPreemptively(FAST, () -> assertThrows(IOException.class, peer.link()::receive));
            assertFalse(truncated instanceof EOFException, String.valueOf(truncated));
            assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
        }
    }

    @Test
    void emptyFrameFromARawPeerIsAnEmptyArray() throws IOException {
        try (Loopback.RawPeer peer = Loopback.rawPeer(provider)) {
            peer.write(prefix(0));
            assertEquals(0, peer.link().receive().length);
            peer.raw().close();
            assertThrows(EOFException.class, peer.link()::receive);
        }
    }
}
