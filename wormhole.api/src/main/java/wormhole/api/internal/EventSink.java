package wormhole.api.internal;

import wormhole.api.ChannelEvent;
import wormhole.api.ChannelListener;
import wormhole.api.EndReason;

/**
 * Hands events to the listener one at a time and never after the ending. A listener that throws
 * ends the channel with an error rather than leave it half alive. Called by the channel thread
 * (connection and what arrives), by transport threads (link events) and, for the last event, by
 * whichever thread ends the channel.
 */
final class EventSink {
    private final ChannelListener listener;
    private final Ending ending;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private boolean endReported;

    EventSink(ChannelListener listener, Ending ending) {
        this.listener = listener;
        this.ending = ending;
    }

    /** @param event what happened; dropped once the ending was reported */
    void emit(ChannelEvent event) {
        RuntimeException failure = null;
        synchronized (lock) {
            if (endReported) {
                return;
            }
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (failure != null) {
            ending.end(EndReason.ERROR, "the event listener failed: " + failure);
        }
    }

    /** @param event the ending, reported last; nothing is reported after it */
    void last(ChannelEvent.Ended event) {
        try {
            synchronized (lock) {
                endReported = true;
                listener.onEvent(event);
            }
        } catch (RuntimeException e) {
            // the listener's own failure; the channel is over either way
        }
    }
}
