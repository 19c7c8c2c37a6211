package wormhole.api.internal;

/** A decrypted frame is not a message we can read: not JSON, or missing a required field. */
public final class MessageFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, without quoting the payload */
    public MessageFormatException(String message) {
        super(message);
    }
}
