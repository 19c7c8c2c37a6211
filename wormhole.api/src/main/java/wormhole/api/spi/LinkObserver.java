package wormhole.api.spi;

/** Receives a transport's {@link LinkEvent}s. Called on the transport's own threads; must not block. */
@FunctionalInterface
public interface LinkObserver {
    /**
     * @param event what happened
     * @param detail a short human-readable detail, or an empty string
     */
    void onLinkEvent(LinkEvent event, String detail);
}
