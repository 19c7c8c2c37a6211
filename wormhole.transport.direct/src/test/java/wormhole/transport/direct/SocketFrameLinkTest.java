package wormhole.transport.direct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.FrameTooLargeException;
import wormhole.testing.BlockingCall;
import wormhole.testing.TestThreads;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SocketFrameLinkTest {
    private final DirectTransportProvider provider = new DirectTransportProvider();
    @RegisterExtension
    final TestThreads threads = new TestThreads();


    @Test
    void framesOfEveryEdgeSizeTravelBothWays() throws Exception {
        int[] sizes = {0, 1, 2, 4, 65_535, SocketFrameLink.BUFFER_SIZE, SocketFrameLink.BUFFER_SIZE + 1,
            FrameLink.MAX_FRAME_SIZE};
        try (Loopback.Pair pair = Loopback.pair(provider)) {
            for (int size : sizes) {
                byte[] up = Loopback.pattern(size, 1);
                byte[] down = Loopback.pattern(size, 2);
                // Each direction on its own thread: a 10 MiB frame does not fit in socket buffers.
                Future<byte[]> hostGot = threads.submit(() -> pair.host().receive());
                Future<byte[]> peerGot = threads.submit(() -> pair.peer().receive());
                Future<?> hostSent = threads.submit(call(() -> pair.host().send(down)));
                pair.peer().send(up);
                hostSent.get(10, TimeUnit.SECONDS);
                assertArrayEquals(up, hostGot.get(10, TimeUnit.SECONDS), "peer to host, size " + size);
                assertArrayEquals(down, peerGot.get(10, TimeUnit.SECONDS), "host to peer, size " + size);
            }
        }
    }

    @Test
    void aHeadAndABodySentApartArriveAsTheOneFrameTheyMakeAndTheirSumIsBounded() throws Exception {
        int[][] sizes = {{9, 0}, {0, 5}, {9, SocketFrameLink.BUFFER_SIZE + 25}, {1, FrameLink.MAX_FRAME_SIZE - 1}};
        try (Loopback.Pair pair = Loopback.pair(provider)) {
            for (int[] size : sizes) {
                byte[] head = Loopback.pattern(size[0], 3);
                byte[] body = Loopback.pattern(size[1], 4);
                byte[] whole = new byte[head.length + body.length];
                System.arraycopy(head, 0, whole, 0, head.length);
                System.arraycopy(body, 0, whole, head.length, body.length);
                Future<byte[]> got = threads.submit(() -> pair.host().receive());
                pair.peer().send(head, body);
                assertArrayEquals(whole, got.get(10, TimeUnit.SECONDS), size[0] + " + " + size[1] + " bytes");
            }
            assertThrows(FrameTooLargeException.class, () -> pair.peer().send(new byte[9], new byte[FrameLink.MAX_FRAME_SIZE]));
            pair.peer().send(new byte[] {1}, new byte[] {2});
            assertArrayEquals(new byte[] {1, 2}, pair.host().receive(), "nothing of the refused frame was written");
        }
    }

    @Test
    void sendRefusesAFrameOverTheLimitAndWritesNothing() throws IOException {
        try (Loopback.Pair pair = Loopback.pair(provider)) {
            FrameTooLargeException refused = assertThrows(FrameTooLargeException.class,
                    () -> pair.peer().send(new byte[FrameLink.MAX_FRAME_SIZE + 1]));
            assertTrue(refused.getMessage().contains(Integer.toString(FrameLink.MAX_FRAME_SIZE + 1)));
            // Nothing reached the wire: the next frame arrives intact and the link still works.
            pair.peer().send(new byte[] {7, 7});
            assertArrayEquals(new byte[] {7, 7}, pair.host().receive());
        }
    }

    @Test
    void sendAndReceiveRunOnTwoThreadsAtOnceAtBothEnds() throws Exception {
        int frames = 40;
        int size = 300_000;
        try (Loopback.Pair pair = Loopback.pair(provider)) {
            Future<?> hostSends = threads.submit(call(() -> sendNumbered(pair.host(), frames, size, 10)));
            Future<?> peerSends = threads.submit(call(() -> sendNumbered(pair.peer(), frames, size, 20)));
            Future<?> hostReceives = threads.submit(call(() -> expectNumbered(pair.host(), frames, size, 20)));
            Future<?> peerReceives = threads.submit(call(() -> expectNumbered(pair.peer(), frames, size, 10)));
            for (Future<?> f : new Future<?>[] {hostSends, peerSends, hostReceives, peerReceives}) {
                f.get(20, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void cleanCloseBetweenFramesIsEndOfStream() throws IOException {
        try (Loopback.Pair pair = Loopback.pair(provider)) {
            pair.peer().send(new byte[] {1});
            pair.peer().close();
            assertArrayEquals(new byte[] {1}, pair.host().receive());
            assertThrows(EOFException.class, () -> pair.host().receive());
        }
    }

    @Test
    void closeFromAThirdThreadUnblocksBothReceiveAndSend() throws Exception {
        try (Loopback.Pair pair = Loopback.pair(provider)) {
            FrameLink link = pair.host();
            // The peer never reads, so the host's sends block once the socket buffers are full;
            // the peer never writes, so the host's receive blocks.
            byte[] frame = new byte[1 << 20];
            BlockingCall<Void> sender = BlockingCall.<Void>start("sender", () -> {
                while (true) {
                    link.send(frame);
                }
            });
            BlockingCall<byte[]> receiver = BlockingCall.start("receiver", link::receive);
            sender.awaitBlockedIn("send");
            receiver.awaitBlockedIn("receive");

            long start = System.nanoTime();
            threads.submit(link::close).get(5, TimeUnit.SECONDS);
            assertClosedFailure(sender.failure());
            assertClosedFailure(receiver.failure());
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 3000);

            IOException afterClose = assertThrows(IOException.class, () -> link.receive());
            assertTrue(afterClose.getMessage().contains("closed"), afterClose.getMessage());
            assertThrows(IOException.class, () -> link.send(new byte[1]));
            link.close(); // idempotent
        }
    }

    private static void assertClosedFailure(Throwable cause) {
        assertTrue(cause instanceof IOException && !(cause instanceof EOFException), String.valueOf(cause));
        assertTrue(cause.getMessage().contains("closed"), cause.getMessage());
    }

    private static void sendNumbered(FrameLink link, int frames, int size, int seed) throws IOException {
        for (int i = 0; i < frames; i++) {
            link.send(Loopback.pattern(size + i, seed + i));
        }
    }

    private static void expectNumbered(FrameLink link, int frames, int size, int seed) throws IOException {
        for (int i = 0; i < frames; i++) {
            byte[] got = link.receive();
            assertEquals(size + i, got.length);
            assertArrayEquals(Loopback.pattern(size + i, seed + i), got, "frame " + i);
        }
    }

    /** Something that may throw, as a task for an executor. */
    @FunctionalInterface
    interface IoTask {
        void run() throws Exception;
    }

    private static Callable<Void> call(IoTask task) {
        return () -> {
            task.run();
            return null;
        };
    }
}
