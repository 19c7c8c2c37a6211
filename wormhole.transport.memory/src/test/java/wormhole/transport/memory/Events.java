package wormhole.transport.memory;

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

/** Records a channel's events so that a test can wait for them in order; link events are kept apart. */
final class Events implements ChannelListener {
    private static final long WAIT_MILLIS = 5_000;

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
     * over unless asked for: whether a transfer reports progress depends on how long it takes.
     */
    <T extends ChannelEvent> T next(Class<T> type) throws InterruptedException {
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

    /** Waits for the next event, which must be the ending with the given reason. */
    ChannelEvent.Ended ended(EndReason reason) throws InterruptedException {
        ChannelEvent.Ended ended = next(ChannelEvent.Ended.class);
        assertEquals(reason, ended.reason(), () -> "detail: " + ended.detail());
        return ended;
    }

    /** @return the events not yet taken */
    List<ChannelEvent> pending() {
        return List.copyOf(events);
    }

    List<ChannelEvent.Link> linkEvents() {
        synchronized (linkEvents) {
            return List.copyOf(linkEvents);
        }
    }
}
