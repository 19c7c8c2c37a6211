package wormhole.relayserver;

import java.io.IOException;

/**
 * The relay was told to share its channels through Redis but cannot use that Redis at start (it cannot
 * be reached, refuses the password, or its TLS certificate is not trusted). The message names the
 * Redis without its credentials.
 */
public final class SharedStoreException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, without credentials */
    public SharedStoreException(String message) {
        super(message);
    }
}
