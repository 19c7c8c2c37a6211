package wormhole.api.spi;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;

/**
 * The host's side of a rendezvous before its peer arrives: it knows the nameplate (the number part
 * of the channel code: a TCP port, a relay-assigned nameplate) and waits for exactly one peer.
 */
public interface HostedLink extends Closeable {
    /** @return the number part of the channel code that leads a peer here */
    String nameplate();

    /**
     * Waits for the one peer this channel takes. Whatever the outcome, no second peer is accepted
     * afterwards (a direct listener is closed, or kept for that same peer's proven resumption only;
     * a relay channel is single-use).
     *
     * @param timeout how long to wait; {@link Duration#ZERO} waits without limit
     * @return the link to the peer
     * @throws java.net.SocketTimeoutException when no peer arrived in time
     * @throws IOException when the rendezvous failed or was closed
     */
    FrameLink awaitPeer(Duration timeout) throws IOException;

    /**
     * Waits for the one peer this channel takes, letting the transport pass over connections whose
     * first frame {@code opening} refuses, where it can tell connections apart (a direct listener
     * can; a relay pairs the sides itself). The frame that passed is the link's first received frame.
     * This default ignores the check and waits as {@link #awaitPeer(Duration)}.
     *
     * @param timeout how long to wait; {@link Duration#ZERO} waits without limit
     * @param opening what a real peer's first frame looks like
     * @return the link to the peer
     * @throws java.net.SocketTimeoutException when no peer arrived in time
     * @throws IOException when the rendezvous failed or was closed
     */
    default FrameLink awaitPeer(Duration timeout, OpeningCheck opening) throws IOException {
        return awaitPeer(timeout);
    }

    /** Gives up waiting; a blocked {@link #awaitPeer} fails at once. Idempotent. */
    @Override
    void close();
}
