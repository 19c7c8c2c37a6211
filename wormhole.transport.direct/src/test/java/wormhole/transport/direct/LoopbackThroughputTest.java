package wormhole.transport.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures raw frame throughput over loopback, to show the transport is not the bottleneck. It
 * reports figures and asserts only that every byte arrived; it runs only when asked:
 * {@code mvn -o -pl wormhole.transport.direct test -Dtest=LoopbackThroughputTest -Dwormhole.bench=true}.
 */
@EnabledIfSystemProperty(named = "wormhole.bench", matches = "true")
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LoopbackThroughputTest {
    private static final long VOLUME = 1L << 30; // bytes per measured round

    @Test
    void frameThroughputOverLoopback() throws Exception {
        for (int size : new int[] {64 * 1024, 1024 * 1024}) {
            measure(size, VOLUME / 4); // warm-up
            measure(size, VOLUME);
        }
    }

    private static void measure(int frameSize, long volume) throws Exception {
        int frames = (int) (volume / frameSize);
        byte[] frame = Loopback.pattern(frameSize, 3);
        ExecutorService receiver = Executors.newSingleThreadExecutor();
        try (Loopback.Pair pair = Loopback.pair(new DirectTransportProvider())) {
            long start = System.nanoTime();
            Future<Long> received = receiver.submit(() -> {
                long bytes = 0;
                for (int i = 0; i < frames; i++) {
                    bytes += pair.host().receive().length;
                }
                return bytes;
            });
            for (int i = 0; i < frames; i++) {
                pair.peer().send(frame);
            }
            long bytes = received.get(120, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals((long) frames * frameSize, bytes);
            System.out.println(String.format(Locale.ROOT, "direct loopback, %7d-byte frames: %6d frames in %.2f s = %7.0f MiB/s, %8.0f frames/s",
                    frameSize, frames, seconds, bytes / seconds / (1 << 20), frames / seconds));
        } finally {
            receiver.shutdownNow();
        }
    }
}
