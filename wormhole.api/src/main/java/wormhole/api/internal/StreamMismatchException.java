package wormhole.api.internal;

/** A stream did not arrive as its sender described it (size or SHA-256); nothing of it is kept. */
public final class StreamMismatchException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what differed */
    public StreamMismatchException(String message) {
        super(message);
    }
}
