package wormhole.api;

/** A channel operation failed; {@link #failure()} says how, so a caller can map it to an exit code. */
public final class WormholeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The kinds of failure a caller may want to tell apart. */
    public enum Failure {
        /** The channel has not finished its handshake yet. */
        NOT_CONNECTED,
        /** The channel is over. */
        CLOSED,
        /** The item is larger than the peer can take. */
        TOO_LARGE,
        /** The item could not be read (a missing or unreadable file). */
        UNREADABLE,
        /** The link broke while sending. */
        PEER_GONE,
        /** No transport serves the rendezvous, or it could not be reached or bound. */
        CONNECTION_FAILED,
        /** The item was sent, but the peer did not confirm it within the time-out. */
        ACK_TIMEOUT,
        /** The peer received the item and refused it (for example a directory with a hostile entry). */
        REFUSED,
        /** The peer lacks the feature this item needs (a directory or a stream to a version-1 peer). */
        UNSUPPORTED
    }

    private final Failure failure;

    /**
     * @param failure the kind of failure
     * @param message what happened, for a person; never holds a code or a payload
     */
    public WormholeException(Failure failure, String message) {
        super(message);
        this.failure = failure;
    }

    /**
     * @param failure the kind of failure
     * @param message what happened
     * @param cause   the underlying exception
     */
    public WormholeException(Failure failure, String message, Throwable cause) {
        super(message, cause);
        this.failure = failure;
    }

    /** @return the kind of failure */
    public Failure failure() {
        return failure;
    }
}
