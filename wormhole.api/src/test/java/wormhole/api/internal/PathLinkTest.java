package wormhole.api.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import wormhole.api.spi.Threads;

/**
 * Two {@link PathLink}s over an in-memory relay pair and an in-memory direct pair: frames move to
 * the direct pair, and when it is cut (both ends closed at once, so whatever was on its way is lost)
 * at any point, everything goes on over the relay: each end receives every frame once, in order.
 */
@Timeout(60)
class PathLinkTest {
    private static final int FRAMES = 400;

    private final List<String> pathsA = new CopyOnWriteArrayList<>();
    private final List<String> pathsB = new CopyOnWriteArrayList<>();

    private static byte[] frame(int i) {
        byte[] f = new byte[16 + i % 97];
        ByteBuffer.wrap(f).putInt(i).putInt(~i);
        return f;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 7, 16, 50, 199, 333, 0, 1, 7, 50})
    void aDirectPathCutAtAnyPointLosesDuplicatesAndReordersNothing(int cutAfter) throws Exception {
        LinkPair relay = new LinkPair();
        LinkPair direct = new LinkPair();
        PathLink a = new PathLink(relay.a, Threads.daemons(), (p, d) -> pathsA.add(p));
        PathLink b = new PathLink(relay.b, Threads.daemons(), (p, d) -> pathsB.add(p));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<?> readsB = pool.submit(() -> expectAll(b));
            Future<?> readsA = pool.submit(() -> expectAll(a));
            Future<?> sendsA = pool.submit(() -> {
                for (int i = 0; i < FRAMES; i++) {
                    if (i == 20) {
                        assertTrue(a.takeDirect(direct.a));
                        assertTrue(b.takeDirect(direct.b));
                    }
                    if (i == 20 + cutAfter) {
                        direct.a.close();
                        direct.b.close();
                    }
                    a.send(frame(i));
                }
                return null;
            });
            Future<?> sendsB = pool.submit(() -> {
                for (int i = 0; i < FRAMES; i++) {
                    b.send(frame(i));
                }
                return null;
            });
            sendsA.get(30, TimeUnit.SECONDS);
            sendsB.get(30, TimeUnit.SECONDS);
            readsB.get(30, TimeUnit.SECONDS);
            readsA.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
            a.close();
            b.close();
        }
        assertEquals("direct", pathsA.get(0));
        assertTrue(pathsA.contains("relay") || pathsB.contains("relay"), "someone saw the cut: " + pathsA + " " + pathsB);
    }

    private static Void expectAll(PathLink link) throws IOException {
        for (int i = 0; i < FRAMES; i++) {
            assertArrayEquals(frame(i), link.receive(), "frame " + i);
        }
        return null;
    }

    @RepeatedTest(10)
    void aGoodbyeOnTheDirectPathIsNoFallBack() throws Exception {
        pathsB.clear();
        LinkPair relay = new LinkPair();
        LinkPair direct = new LinkPair();
        PathLink a = new PathLink(relay.a, Threads.daemons(), (p, d) -> pathsA.add(p));
        PathLink b = new PathLink(relay.b, Threads.daemons(), (p, d) -> pathsB.add(p));
        try {
            a.takeDirect(direct.a);
            b.takeDirect(direct.b);
            a.send(frame(1));
            assertArrayEquals(frame(1), b.receive());
            a.goodbye();
            a.close();
            assertThrowsIo(b);
            assertEquals(List.of("direct"), pathsB);
        } finally {
            a.close();
            b.close();
        }
    }

    private static void assertThrowsIo(PathLink link) {
        try {
            link.receive();
        } catch (IOException e) {
            return;
        }
        throw new AssertionError("a frame after the other end left");
    }

    @Test
    void recordsCarryTheirNumberInClearAndTheFrameUntouched() {
        byte[] r = PathRecords.record(0x0102030405060708L, new byte[] {9, 9});
        assertEquals(PathRecords.DATA, r[0]);
        assertEquals(0x0102030405060708L, PathRecords.number(r));
        assertArrayEquals(new byte[] {9, 9}, java.util.Arrays.copyOfRange(r, PathRecords.HEADER, r.length));
    }
}
