package wormhole.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import wormhole.api.ChannelEvent;
import wormhole.api.ChannelListener;
import wormhole.api.EndReason;

/**
 * Records a channel's events so that a test can wait for them in order (5 s at most each); link
 * events are kept apart, since transports report them at moments of their own.
 */
public final class Events implements ChannelListener {
    /** How long {@link #next} waits for an event. */
    public static final long WAIT_MILLIS = 5_000;

    private final LinkedBlockingQueue<ChannelEvent> events = new LinkedBlockingQueue<>();
    private final List<ChannelEvent.Link> linkEvents = new ArrayList<>();

    @Override
    public void onEvent(ChannelEvent event) {
        if (event instanceof ChannelEvent.Link link) {
            synchronized (linkEvents) {
                linkEvents.add(link);
            }
        } else {
            events.add(event);
        }
    }

    /**
     * Waits for the next channel event, which must be of the given type. Progress events are passed
     * over unless asked for: whether a transfer reports progress depends on how long it takes (a
     * second or more), which a loaded machine decides, not the code under test.
     *
     * @param type the type expected
     * @param <T>  that type
     * @return the event
     * @throws InterruptedException when interrupted
     */
    public <T extends ChannelEvent> T next(Class<T> type) throws InterruptedException {
        ChannelEvent event = events.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        while (event instanceof ChannelEvent.Progress && type != ChannelEvent.Progress.class) {
            event = events.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        }
        assertNotNull(event, "no " + type.getSimpleName() + " within " + WAIT_MILLIS + " ms");
        if (!type.isInstance(event)) {
            fail("expected " + type.getSimpleName() + " but got " + event);
        }
        return type.cast(event);
    }

    /**
     * @param millis how long to wait
     * @return the next channel event, or null when none came within {@code millis}
     * @throws InterruptedException when interrupted
     */
    public ChannelEvent nextAny(long millis) throws InterruptedException {
        return events.poll(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Waits for the next event, which must be the ending with the given reason.
     *
     * @param reason the reason expected
     * @return the ending
     * @throws InterruptedException when interrupted
     */
    public ChannelEvent.Ended ended(EndReason reason) throws InterruptedException {
        ChannelEvent.Ended ended = next(ChannelEvent.Ended.class);
        assertEquals(reason, ended.reason(), () -> "detail: " + ended.detail());
        return ended;
    }

    /** @return the channel events not yet taken */
    public List<ChannelEvent> pending() {
        return List.copyOf(events);
    }

    /** @return the link events so far */
    public List<ChannelEvent.Link> linkEvents() {
        synchronized (linkEvents) {
            return List.copyOf(linkEvents);
        }
    }
}
