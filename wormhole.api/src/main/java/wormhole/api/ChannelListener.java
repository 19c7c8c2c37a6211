package wormhole.api;

/** Receives a channel's events. Called on the channel's own thread, one event at a time. */
@FunctionalInterface
public interface ChannelListener {
    /** @param event what happened */
    void onEvent(ChannelEvent event);
}
