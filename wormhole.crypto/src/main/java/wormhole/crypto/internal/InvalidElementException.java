package wormhole.crypto.internal;

/** An inbound SPAKE2 element failed one of the group checks; the message says which. */
public final class InvalidElementException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidElementException(String message) {
        super(message);
    }
}
