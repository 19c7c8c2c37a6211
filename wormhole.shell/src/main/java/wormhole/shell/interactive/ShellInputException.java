package wormhole.shell.interactive;

/** A line typed at the shell cannot be carried out as written; the message says why, in one line. */
public final class ShellInputException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and how to fix it */
    public ShellInputException(String message) {
        super(message);
    }
}
