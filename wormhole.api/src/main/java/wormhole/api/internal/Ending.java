package wormhole.api.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import wormhole.api.ChannelEvent;
import wormhole.api.EndReason;

/**
 * The single way a channel ends. Any thread may call {@link #end}; the first call wins, runs the
 * engine's teardown (which reports {@link ChannelEvent.Ended} last) and then releases whoever waits
 * in {@link #await}; later calls do nothing. The parts of the engine hold this object rather than the
 * engine, and the engine binds its teardown once it is built, before it starts any thread.
 */
final class Ending {
    private final AtomicReference<ChannelEvent.Ended> ending = new AtomicReference<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile Consumer<ChannelEvent.Ended> teardown = e -> { };
    /** Set before a goodbye is sent, so the other end hanging up in answer does not read as a drop. */
    private volatile EndReason leaving;

    /** @param teardown what ending does, once; bound before any thread can end the channel */
    void onEnd(Consumer<ChannelEvent.Ended> teardown) {
        this.teardown = teardown;
    }

    /**
     * Ends the channel once, whatever calls it first.
     *
     * @param reason why
     * @param detail a detail for people
     */
    void end(EndReason reason, String detail) {
        ChannelEvent.Ended event = new ChannelEvent.Ended(reason, detail);
        if (!ending.compareAndSet(null, event)) {
            return;
        }
        try {
            teardown.accept(event);
        } finally {
            ended.countDown();
        }
    }

    /** @return whether the channel has ended or is ending */
    boolean isOver() {
        return ending.get() != null;
    }

    /** @param reason why this end is about to say goodbye */
    void leaving(EndReason reason) {
        leaving = reason;
    }

    /** @return why the link dropped: our own leaving if we were already on our way out, else a disconnection */
    EndReason dropReason() {
        EndReason r = leaving;
        return r != null ? r : EndReason.DISCONNECTED;
    }

    /**
     * @param timeout how long to wait
     * @return the final event, or empty if the channel did not end in time
     * @throws InterruptedException when interrupted
     */
    Optional<ChannelEvent.Ended> await(Duration timeout) throws InterruptedException {
        if (ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return Optional.of(ending.get());
        }
        return Optional.empty();
    }
}
