package wormhole.relayserver.internal;

/** What the relay knows about one WebSocket connection; attached to it. */
final class ConnState {
    final long openedAt;
    final String address;
    /** Set once the connection has joined or resumed; cleared when it is replaced or the channel ends. */
    volatile RelayChannel channel;
    volatile Party role;
    /** With a shared store: the side this connection holds, once it joined or resumed. */
    volatile SharedSeat seat;
    /** Bytes of binary messages handed to the connection since its outgoing queue was last seen empty ({@link Wire}). */
    long handedSinceEmpty;
    /** Set once the relay has refused this connection, so it is refused only once. */
    volatile boolean refused;

    ConnState(long openedAt, String address) {
        this.openedAt = openedAt;
        this.address = address;
    }
}
