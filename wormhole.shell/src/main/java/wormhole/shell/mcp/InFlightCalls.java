package wormhole.shell.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import wormhole.api.spi.Threads;

/**
 * The tool calls running now, each on a thread of its own (a waiting {@code receive} must not hold
 * up other calls), by request id: at most {@link #MAX} at once, one per id, and each can be cancelled
 * by {@code notifications/cancelled}, after which it sends no response.
 */
final class InFlightCalls {
    /** The most tool calls running at once. */
    static final int MAX = 64;

    /** A call's work; it may wait, and is interrupted when cancelled. */
    @FunctionalInterface
    interface Call {
        /** Runs the call; {@code stillWanted} says whether its response should still be sent. */
        void run(StillWanted stillWanted) throws InterruptedException;
    }

    /** Whether a call finished before it was cancelled; asked once, just before responding. */
    @FunctionalInterface
    interface StillWanted {
        boolean check();
    }

    private final ExecutorService threads;
    private final Semaphore slots = new Semaphore(MAX);
    private final Map<String, FutureTask<Void>> running = new ConcurrentHashMap<>();

    InFlightCalls() {
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(
                r -> Threads.named(Threads.daemons(), "mcp-call-" + n.incrementAndGet()).newThread(r));
    }

    /**
     * Starts {@code call} for request {@code id}.
     *
     * @throws RpcException when too many calls run, the id belongs to a running call, or the server is stopping
     */
    void start(JsonNode id, Call call) throws RpcException {
        if (!slots.tryAcquire()) {
            throw new RpcException(RpcException.INTERNAL_ERROR, "too many tool calls in flight (" + MAX + ")");
        }
        String key = key(id);
        AtomicReference<FutureTask<Void>> self = new AtomicReference<>();
        FutureTask<Void> task = new FutureTask<>(() -> {
            try {
                call.run(() -> running.remove(key, self.get()));
            } catch (InterruptedException e) {
                running.remove(key, self.get()); // cancelled: no response
            } finally {
                slots.release();
            }
            return null;
        });
        self.set(task);
        if (running.putIfAbsent(key, task) != null) {
            slots.release();
            throw new RpcException(RpcException.INVALID_REQUEST, "Invalid Request: that id belongs to a call still running");
        }
        try {
            threads.execute(task);
        } catch (RejectedExecutionException e) {
            running.remove(key, task);
            slots.release();
            throw new RpcException(RpcException.INTERNAL_ERROR, "the server is shutting down");
        }
    }

    /** Cancels the call of request {@code id}, if it still runs; per the protocol it gets no response. */
    void cancel(JsonNode id) {
        FutureTask<Void> call = running.remove(key(id));
        if (call != null) {
            call.cancel(true);
        }
    }

    /** Interrupts every call and waits up to five seconds for them to stop. */
    void stop() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(5, TimeUnit.SECONDS);
    }

    private static String key(JsonNode id) {
        return (id.isTextual() ? "s:" : "n:") + id.asText();
    }
}
