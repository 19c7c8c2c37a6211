package wormhole.api.spi;

/**
 * What a transport reports about its link while it runs. The names are the status events of the
 * agent contract, so a transport that has no such notion (direct TCP) simply never reports them.
 */
public enum LinkEvent {
    /** The host is registered and waits for its peer. */
    WAITING,
    /** Both ends have reached the rendezvous. */
    PAIRED,
    /** The connection to the rendezvous dropped and is being re-established. */
    RECONNECTING,
    /** The connection is back and nothing was lost. */
    RECONNECTED,
    /** The rendezvous reports that the other end dropped; it may still come back. */
    PEER_DISCONNECTED
}
