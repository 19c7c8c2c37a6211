package wormhole.crypto;

/**
 * An incoming frame failed to authenticate: it was tampered with, replayed or reordered (so its
 * counter is not the expected one), or sealed with another key (the wrong channel code). The
 * session refuses every later frame; the channel should end.
 */
public class FrameAuthenticationException extends CryptoException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message a user can act on.
     *
     * @param message what failed
     */
    public FrameAuthenticationException(String message) {
        super(message);
    }
}
