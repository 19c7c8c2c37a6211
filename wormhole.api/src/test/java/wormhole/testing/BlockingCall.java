package wormhole.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * A call run on a thread of its own, so that a test can show it blocked without sleeping: {@link
 * #awaitBlockedIn} waits (5 s at most) until the thread is parked ({@code WAITING}, {@code
 * TIMED_WAITING} or {@code BLOCKED}), or in a native call (a blocking accept or read, which the JVM
 * reports as {@code RUNNABLE}), inside the named method, which proves the call started and waits;
 * then the test acts and reads the outcome.
 *
 * @param <T> what the call returns
 */
public final class BlockingCall<T> {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final Thread thread;
    private final CompletableFuture<T> outcome = new CompletableFuture<>();

    private BlockingCall(String name, Callable<T> call) {
        this.thread = new Thread(() -> {
            try {
                outcome.complete(call.call());
            } catch (Throwable e) {
                outcome.completeExceptionally(e);
            }
        }, name);
        this.thread.setDaemon(true);
    }

    /**
     * @param name the thread's name
     * @param call the call that should block
     * @param <T>  what it returns
     * @return the started call
     */
    public static <T> BlockingCall<T> start(String name, Callable<T> call) {
        BlockingCall<T> c = new BlockingCall<>(name, call);
        c.thread.start();
        return c;
    }

    /**
     * Waits until the call's thread is parked in a method named {@code method} (of any class), and
     * fails if it returned or threw first, or was not parked there within 5 s.
     *
     * @param method the method's name, such as {@code receive}
     * @return this call
     */
    public BlockingCall<T> awaitBlockedIn(String method) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (outcome.isDone()) {
                fail("the call ended instead of blocking in " + method + ": " + describe());
            }
            Thread.State state = thread.getState();
            StackTraceElement[] stack = thread.getStackTrace();
            boolean parked = state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING
                    || state == Thread.State.BLOCKED;
            boolean inBlockingIo = state == Thread.State.RUNNABLE && stack.length > 0 && stack[0].isNativeMethod();
            if ((parked || inBlockingIo) && Arrays.stream(stack).anyMatch(f -> f.getMethodName().equals(method))) {
                return this;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        fail("the call was not blocked in " + method + " within " + WAIT.toSeconds() + " s; state "
                + thread.getState() + ", stack " + Arrays.toString(thread.getStackTrace()));
        return this;
    }

    /** @return whether the call has returned or thrown */
    public boolean isDone() {
        return outcome.isDone();
    }

    /**
     * @return what the call returned, waiting 5 s at most
     * @throws Exception what it threw, or a {@link TimeoutException}
     */
    public T result() throws Exception {
        try {
            return outcome.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    /**
     * @return what the call threw, waiting 5 s at most; fails when it returned or did not end
     */
    public Throwable failure() throws InterruptedException {
        try {
            T value = outcome.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            fail("the call returned " + value + " instead of failing");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            fail("the call did not end within " + WAIT.toSeconds() + " s");
        }
        throw new AssertionError("unreachable");
    }

    private String describe() {
        try {
            return String.valueOf(outcome.getNow(null));
        } catch (RuntimeException e) {
            return String.valueOf(e.getCause());
        }
    }
}
