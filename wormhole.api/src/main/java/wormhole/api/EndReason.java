package wormhole.api;

/** Why a channel ended. Each maps to the status event an agent sees last. */
public enum EndReason {
    /** This end closed the channel deliberately. */
    CLOSED("closed"),
    /** The other end said goodbye (both ends support the {@code close} feature). */
    PEER_CLOSED("closed"),
    /** The other end vanished without a goodbye. */
    DISCONNECTED("disconnected"),
    /** Nothing moved for the inactivity time-out. */
    TIMEOUT("timeout"),
    /** The key exchange or key confirmation failed: a wrong code, or something that is no peer of ours. */
    HANDSHAKE_FAILED("handshake_failed"),
    /** The rendezvous or the other end could not be reached. */
    CONNECTION_FAILED("connection_failed"),
    /** The channel broke: a frame that failed to decrypt or parse, a transport or disk error. */
    ERROR("error");

    private final String statusEvent;

    EndReason(String statusEvent) {
        this.statusEvent = statusEvent;
    }

    /** @return the agent contract's status event name for this ending */
    public String statusEvent() {
        return statusEvent;
    }

    /** @return whether the channel ended as intended (a close by either end) */
    public boolean deliberate() {
        return this == CLOSED || this == PEER_CLOSED;
    }
}
