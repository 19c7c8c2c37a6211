package wormhole.crypto;

/**
 * The other side's SPAKE2 message was refused before any key was derived: wrong length, wrong side
 * byte, or an element that is not a valid member of the prime-order group. An honest peer never
 * sends one; the channel should end.
 */
public class MalformedMessageException extends CryptoException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that says which check failed.
     *
     * @param message what was refused and why
     */
    public MalformedMessageException(String message) {
        super(message);
    }
}
