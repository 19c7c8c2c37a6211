package wormhole.transport.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import wormhole.api.spi.FrameLink;

/** Bursts under the default limits, and reconnects mid-transfer with every frame once, in order. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FlowTest {
    private static byte[] frame(int i, int size) {
        byte[] f = new byte[size];
        Arrays.fill(f, (byte) i);
        ByteBuffer.wrap(f).putInt(0, i);
        return f;
    }

    private static void assertFrame(int i, byte[] got) {
        assertTrue(got.length >= 4, "frame " + i + " too short");
        assertEquals(i, ByteBuffer.wrap(got).getInt(0), "frames out of order or duplicated");
    }

    @Test
    void aBurstOf200FramesAtDefaultLimitsArrivesCompleteAndInOrder() throws Exception {
        try (Fixture f = new Fixture()) {
            FrameLink[] p = f.pair();
            long start = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                p[0].send(frame(i, 16 + (i % 7) * 1000));
            }
            for (int i = 0; i < 200; i++) {
                byte[] got = p[1].receive();
                assertFrame(i, got);
                assertEquals(16 + (i % 7) * 1000, got.length);
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 20_000, "took " + millis + " ms");
            assertNull(f.relay.stats().refusals().get("rate_limited"), "the relay refused nothing");
            assertTrue(f.relay.stats().framesForwarded() <= 60, "bundled into at most the relay's 60 messages a minute: "
                    + f.relay.stats().framesForwarded());
            p[1].send(frame(999, 8));
            assertFrame(999, p[0].receive());
        }
    }

    @Test
    void aCutConnectionMidTransferResumesWithEveryFrameExactlyOnceInOrder() throws Exception {
        int total = 400;
        try (Fixture f = new Fixture(b -> b.framesPerWindow(100_000).bytesPerWindow(1L << 32))) {
            Fixture.Cuttable c = f.pairCuttable();
            FrameLink host = c.host();
            FrameLink peer = c.peer();
            AtomicReference<Throwable> senderError = new AtomicReference<>();
            Thread sender = new Thread(() -> {
                try {
                    for (int i = 0; i < total; i++) {
                        host.send(frame(i, 2000));
                        if (i % 50 == 0) {
                            Thread.sleep(10);
                        }
                    }
                } catch (IOException | InterruptedException e) {
                    senderError.set(e);
                }
            });
            sender.start();
            for (int i = 0; i < total; i++) {
                if (i == 100) {
                    assertEquals(1, c.peerProxy().cut());
                }
                if (i == 250) {
                    assertEquals(1, c.hostProxy().cut());
                }
                assertFrame(i, peer.receive());
            }
            sender.join(10_000);
            assertNull(senderError.get());
            // And the other way round, after both resumes.
            peer.send(frame(7, 100));
            assertFrame(7, host.receive());
            assertTrue(f.relay.stats().resumes() >= 2, "resumes: " + f.relay.stats().resumes());
            assertTrue(f.peerEvents.contains("RECONNECTING") && f.peerEvents.contains("RECONNECTED"), f.peerEvents.toString());
            assertTrue(f.hostEvents.contains("RECONNECTING"), f.hostEvents.toString());
        }
    }

    @Test
    void aBurstTowardsAPeerThatIsAwayArrivesWhenItResumes() throws Exception {
        try (Fixture f = new Fixture()) {
            Fixture.Cuttable c = f.pairCuttable();
            assertEquals(1, c.peerProxy().cut());
            for (int i = 0; i < 50; i++) {
                c.host().send(frame(i, 64));
            }
            for (int i = 0; i < 50; i++) {
                assertFrame(i, c.peer().receive());
            }
            assertTrue(f.peerEvents.contains("RECONNECTED"), f.peerEvents.toString());
        }
    }
}
