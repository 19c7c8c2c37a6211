package wormhole.api;

import java.util.Optional;
import wormhole.api.internal.WireNames;

/**
 * Protocol additions beyond version 1, offered in the version message and used only when both ends
 * list them, so a Python 0.1.x peer never sees them. docs/PROTOCOL.md defines each.
 */
public enum Feature {
    /** A deliberate goodbye: the other end reports {@code closed} rather than {@code disconnected}. */
    CLOSE("close"),
    /** Keepalives that reset a relay's inactivity clock and are never shown. */
    PING("ping"),
    /** Files, directories and standard input of any size in chunks, verified by size and SHA-256. */
    STREAM("stream"),
    /** Delivery receipts: the peer confirms each text, file or stream once it is shown or saved. */
    ACK("ack"),
    /**
     * Streams whose end carries no SHA-256: AES-GCM already authenticates every chunk and its place in
     * the sequence, so the hash cost both ends a core-second per GiB and protected nothing more.
     */
    UNHASHED_STREAM("stream-unhashed");

    private final String wire;

    Feature(String wire) {
        this.wire = wire;
    }

    /** @return the name in the version message's {@code features} list */
    public String wireName() {
        return wire;
    }

    /**
     * @param wire a name from a version message
     * @return the feature, or empty for one this build does not know
     */
    public static Optional<Feature> fromWire(String wire) {
        return WireNames.find(values(), Feature::wireName, wire);
    }
}
