package wormhole.api.internal;

import java.util.Optional;

/** What a stream carries (the {@code kind} field of a {@code stream} message). */
public enum StreamKind {
    /** A regular file of known size. */
    FILE("file"),
    /** A directory as one zip archive; unpacked by the receiver after checks. */
    DIRECTORY("directory"),
    /** Input of unknown length (standard input); saved as a file. */
    STDIN("stdin");

    private final String wire;

    StreamKind(String wire) {
        this.wire = wire;
    }

    /** @return the name on the wire */
    public String wireName() {
        return wire;
    }

    /**
     * @param wire a kind from a {@code stream} message
     * @return the kind, or empty for one this build does not know
     */
    public static Optional<StreamKind> fromWire(String wire) {
        return WireNames.find(values(), StreamKind::wireName, wire);
    }
}
