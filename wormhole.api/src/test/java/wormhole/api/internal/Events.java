package wormhole.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import wormhole.api.ChannelEvent;
import wormhole.api.ChannelListener;
import wormhole.api.EndReason;

/** Records a channel's events (link events aside) so that a test can wait for them in order. */
final class Events implements ChannelListener {
    static final long WAIT_MILLIS = 5_000;

    private final LinkedBlockingQueue<ChannelEvent> events = new LinkedBlockingQueue<>();

    @Override
    public void onEvent(ChannelEvent event) {
        if (!(event instanceof ChannelEvent.Link)) {
            events.add(event);
        }
    }

    /**
     * Waits for the next event, which must be of the given type. Progress events are passed over
     * unless asked for: whether a transfer reports progress depends on how long it takes (a second or
     * more), which a loaded machine decides, not the code under test.
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

    /** @return the next event, or null when none came within {@code millis} */
    ChannelEvent nextAny(long millis) throws InterruptedException {
        return events.poll(millis, TimeUnit.MILLISECONDS);
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
}
