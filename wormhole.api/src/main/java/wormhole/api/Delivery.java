package wormhole.api;

/** How far a sent item is known to have got when a send returns. */
public enum Delivery {
    /** The peer confirmed that it showed or saved the item (both ends support {@code ack}). */
    CONFIRMED,
    /** The item was encrypted and handed to the transport; no receipt was asked for, or the peer gives none. */
    HANDED_OFF
}
