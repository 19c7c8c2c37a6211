package wormhole.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A cached thread pool for one test, registered with {@code @RegisterExtension}: after the test (and
 * its own {@code @AfterEach} methods) it interrupts what still runs and fails the test if a thread
 * outlives that by 5 s, so no test leaves a blocked call behind for the next.
 */
public final class TestThreads extends ThreadPoolExecutor implements AfterEachCallback {
    /** A pool that starts a thread per task when none is idle, as {@code Executors.newCachedThreadPool()}. */
    public TestThreads() {
        super(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>());
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        shutdownNow();
        assertTrue(awaitTermination(5, TimeUnit.SECONDS), "a test's thread still runs 5 s after it was interrupted");
    }
}
