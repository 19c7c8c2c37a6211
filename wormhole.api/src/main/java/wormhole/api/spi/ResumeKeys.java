package wormhole.api.spi;

import java.util.Arrays;

/**
 * The keys two ends of one channel use to prove to each other, on a new connection, that they hold
 * the session: derived from the SPAKE2 secret with labels of their own (never the frame keys), one
 * for each role, so neither end's proof can be replayed as the other's.
 */
public final class ResumeKeys implements AutoCloseable {
    private final byte[] host;
    private final byte[] peer;

    /**
     * @param host the key the host proves with (copied)
     * @param peer the key the peer proves with (copied)
     */
    public ResumeKeys(byte[] host, byte[] peer) {
        this.host = host.clone();
        this.peer = peer.clone();
    }

    /** @return a copy of the key the host proves with */
    public byte[] hostKey() {
        return host.clone();
    }

    /** @return a copy of the key the peer proves with */
    public byte[] peerKey() {
        return peer.clone();
    }

    /** Overwrites both keys. */
    @Override
    public void close() {
        Arrays.fill(host, (byte) 0);
        Arrays.fill(peer, (byte) 0);
    }

    @Override
    public String toString() {
        return "ResumeKeys[hidden]";
    }
}
