package wormhole.shell;

/** The command line is wrong; the message says how to fix it. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
