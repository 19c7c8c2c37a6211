package wormhole.api.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import wormhole.api.Feature;
import wormhole.api.WormholeException;
import wormhole.api.spi.Threads;

/**
 * The channel's one timer thread: the inactivity check, the handshake deadline and keepalive pings.
 * The engine schedules them (after it is built, from its factory and its channel thread); the ending
 * stops the thread.
 */
final class Timers {
    private final ScheduledExecutorService timer;

    /** @param threads where the timer thread comes from */
    Timers(ThreadFactory threads) {
        this.timer = Executors.newSingleThreadScheduledExecutor(Threads.named(threads, "wormhole-timer"));
    }

    /**
     * Checks, about ten times per time-out (between every 50 ms and every minute), whether no real item
     * went either way for {@code timeout}.
     *
     * @param onIdle what to do then, on the timer thread
     */
    void watchInactivity(Duration timeout, Activity activity, Runnable onIdle) {
        long checkMillis = Math.max(50, Math.min(timeout.toMillis() / 10, 60_000));
        timer.scheduleWithFixedDelay(() -> {
            if (activity.idleNanos() >= timeout.toNanos()) {
                onIdle.run();
            }
        }, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * @param after  how long from now
     * @param action what to do then, on the timer thread, unless cancelled
     * @return the handle to cancel it
     */
    Future<?> deadline(Duration after, Runnable action) {
        return timer.schedule(action, after.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Sends a ping (feature {@link Feature#PING}) whenever nothing was sent for a keepalive interval: a
     * quarter of the shorter of our inactivity time-out and the link's idle limit (a relay's), so
     * neither drops a channel in use. Pings do not count as activity.
     *
     * @param inactivityTimeout this end's inactivity time-out
     * @param linkLimit         the link's idle limit, if it has one
     */
    void startKeepalives(Duration inactivityTimeout, Optional<Duration> linkLimit, SealedLink connection,
            Activity activity) {
        long limit = inactivityTimeout.toNanos();
        if (linkLimit.isPresent() && !linkLimit.get().isZero() && !linkLimit.get().isNegative()) {
            limit = Math.min(limit, linkLimit.get().toNanos());
        }
        long interval = Math.max(TimeUnit.MILLISECONDS.toNanos(20), limit / 4);
        long check = Math.max(TimeUnit.MILLISECONDS.toNanos(10), interval / 4);
        try {
            timer.scheduleWithFixedDelay(() -> {
                if (connection.isConnected() && activity.quietNanos() >= interval) {
                    try {
                        connection.send(new Message.Ping(), false);
                    } catch (WormholeException e) {
                        // the channel is ending
                    }
                }
            }, check, check, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // the channel ended meanwhile
        }
    }

    /** Part of the ending: nothing scheduled runs any more. */
    void stop() {
        timer.shutdown();
    }
}
