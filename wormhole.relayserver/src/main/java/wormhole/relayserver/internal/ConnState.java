package wormhole.relayserver.internal;

import java.util.concurrent.atomic.AtomicBoolean;

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
    /** Whether its first message or the join deadline has decided the connection's fate. */
    private final AtomicBoolean decided = new AtomicBoolean();

    ConnState(long openedAt, String address) {
        this.openedAt = openedAt;
        this.address = address;
    }

    /**
     * Claims the decision about a connection that has not joined: its first message (a join or
     * resume, or whatever else it sent) and the join deadline race, and exactly one of them wins.
     * Without it the deadline could refuse a connection whose join was being handled that moment,
     * and end a channel that had just paired.
     *
     * @return whether the caller decides
     */
    boolean decide() {
        return decided.compareAndSet(false, true);
    }
}
