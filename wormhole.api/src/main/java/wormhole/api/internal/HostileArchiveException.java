package wormhole.api.internal;

/** A directory archive holds an entry that could escape or clobber its folder; the whole archive is refused. */
public final class HostileArchiveException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message which entry and why */
    public HostileArchiveException(String message) {
        super(message);
    }
}
