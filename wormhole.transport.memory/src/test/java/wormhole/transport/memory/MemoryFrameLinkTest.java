package wormhole.transport.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.FrameTooLargeException;

/** The memory links and rendezvous on their own, below the engine. */
@Timeout(10)
class MemoryFrameLinkTest {

    @Test
    void framesArriveWholeAndInOrder() throws IOException {
        MemoryFrameLink[] ends = MemoryFrameLink.pair();
        byte[] first = {1, 2, 3};
        ends[0].send(first);
        first[0] = 9; // the link took a copy
        ends[0].send(new byte[0]);
        assertArrayEquals(new byte[] {1, 2, 3}, ends[1].receive());
        assertArrayEquals(new byte[0], ends[1].receive());
    }

    @Test
    void closeLetsTheOtherEndDrainThenSeeEndOfFile() throws IOException {
        MemoryFrameLink[] ends = MemoryFrameLink.pair();
        ends[0].send(new byte[] {7});
        ends[0].close();
        assertArrayEquals(new byte[] {7}, ends[1].receive());
        assertThrows(EOFException.class, ends[1]::receive);
        assertThrows(IOException.class, () -> ends[1].send(new byte[] {1}));
    }

    @Test
    void closeUnblocksAReceiveOnTheOtherEnd() throws Exception {
        MemoryFrameLink[] ends = MemoryFrameLink.pair();
        CompletableFuture<Throwable> failure = CompletableFuture.supplyAsync(() -> {
            try {
                ends[1].receive();
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        Thread.sleep(50);
        assertFalse(failure.isDone());
        ends[0].close();
        assertTrue(failure.get(2, TimeUnit.SECONDS) instanceof EOFException);
    }

    @Test
    void closeUnblocksItsOwnReceive() throws Exception {
        MemoryFrameLink[] ends = MemoryFrameLink.pair();
        CompletableFuture<Throwable> failure = CompletableFuture.supplyAsync(() -> {
            try {
                ends[0].receive();
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        Thread.sleep(50);
        ends[0].close();
        assertTrue(failure.get(2, TimeUnit.SECONDS) instanceof IOException);
    }

    @Test
    void aFullQueueBlocksTheSenderUntilTheReceiverTakes() throws Exception {
        MemoryFrameLink[] ends = MemoryFrameLink.pair();
        for (int i = 0; i < MemoryFrameLink.QUEUE_CAPACITY; i++) {
            ends[0].send(new byte[] {(byte) i});
        }
        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
            try {
                ends[0].send(new byte[] {-1});
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertFalse(blocked.isDone(), "the sender should wait for room");
        assertArrayEquals(new byte[] {0}, ends[1].receive());
        blocked.get(2, TimeUnit.SECONDS);
    }

    @Test
    void aFrameOverTheLimitIsRefused() {
        MemoryFrameLink[] ends = MemoryFrameLink.pair();
        assertThrows(FrameTooLargeException.class, () -> ends[0].send(new byte[FrameLink.MAX_FRAME_SIZE + 1]));
    }

    @Test
    void nameplatesAreSmallAndDistinctAndFreedOnClose() throws IOException {
        MemoryRendezvous r = MemoryRendezvous.SHARED;
        MemoryHostedLink a = r.register("link-test");
        MemoryHostedLink b = r.register("link-test");
        assertEquals("1", a.nameplate());
        assertEquals("2", b.nameplate());
        a.close();
        MemoryHostedLink c = r.register("link-test");
        assertEquals("1", c.nameplate());
        b.close();
        c.close();
    }

    @Test
    void awaitPeerTimesOutAndFreesTheNameplate() throws IOException {
        MemoryHostedLink hosted = MemoryRendezvous.SHARED.register("timeout-test");
        assertThrows(SocketTimeoutException.class, () -> hosted.awaitPeer(Duration.ofMillis(50)));
        assertEquals(null, MemoryRendezvous.SHARED.claim("timeout-test", Integer.parseInt(hosted.nameplate())));
    }

    @Test
    void closingTheHostUnblocksAwaitPeer() throws Exception {
        MemoryHostedLink hosted = MemoryRendezvous.SHARED.register("close-test");
        CompletableFuture<Throwable> failure = CompletableFuture.supplyAsync(() -> {
            try {
                hosted.awaitPeer(Duration.ZERO);
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        Thread.sleep(50);
        hosted.close();
        assertTrue(failure.get(2, TimeUnit.SECONDS) instanceof IOException);
    }
}
