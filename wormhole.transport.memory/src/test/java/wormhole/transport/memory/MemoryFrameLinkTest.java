package wormhole.transport.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.FrameTooLargeException;
import wormhole.testing.BlockingCall;

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
        BlockingCall<byte[]> receive = BlockingCall.start("receive", ends[1]::receive).awaitBlockedIn("receive");
        ends[0].close();
        assertTrue(receive.failure() instanceof EOFException);
    }

    @Test
    void closeUnblocksItsOwnReceive() throws Exception {
        MemoryFrameLink[] ends = MemoryFrameLink.pair();
        BlockingCall<byte[]> receive = BlockingCall.start("receive", ends[0]::receive).awaitBlockedIn("receive");
        ends[0].close();
        assertTrue(receive.failure() instanceof IOException);
    }

    @Test
    void aFullQueueBlocksTheSenderUntilTheReceiverTakes() throws Exception {
        MemoryFrameLink[] ends = MemoryFrameLink.pair();
        for (int i = 0; i < MemoryFrameLink.QUEUE_CAPACITY; i++) {
            ends[0].send(new byte[] {(byte) i});
        }
        BlockingCall<Void> blocked = BlockingCall.<Void>start("send", () -> {
            ends[0].send(new byte[] {-1});
            return null;
        }).awaitBlockedIn("send");
        assertArrayEquals(new byte[] {0}, ends[1].receive());
        blocked.result();
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
        BlockingCall<FrameLink> wait = BlockingCall.start("awaitPeer", () -> hosted.awaitPeer(Duration.ZERO))
                .awaitBlockedIn("awaitPeer");
        hosted.close();
        assertTrue(wait.failure() instanceof IOException);
    }
}
