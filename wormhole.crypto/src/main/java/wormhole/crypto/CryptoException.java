package wormhole.crypto;

import java.security.GeneralSecurityException;

/** A cryptographic step refused its input: a malformed SPAKE2 message or a frame that fails to open. */
public class CryptoException extends GeneralSecurityException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message a user can act on.
     *
     * @param message what was refused and why
     */
    public CryptoException(String message) {
        super(message);
    }
}
