package wormhole.api.spi;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;

/**
 * The host's side of a rendezvous before its peer arrives: it knows the nameplate (the number part
 * of the channel code: a TCP port, a relay-assigned nameplate) and waits for exactly one peer.
 */
public interface HostedLink extends Closeable {
    /**
     * Called once, right after the provider's {@code host} returned, on the same thread.
     *
     * @return the number part of the channel code that leads a peer here: must be 1 to 10 ASCII
     *         digits, else the engine closes this link and the host fails with
     *         {@code CONNECTION_FAILED}
     */
    String nameplate();

    /**
     * Waits for the one peer this channel takes. Whatever the outcome, no second peer is accepted
     * afterwards (a direct listener is closed, or kept for that same peer's proven resumption only;
     * a relay channel is single-use).
     *
     * <p>Called on the channel's thread. The engine passes {@link Duration#ZERO} and ends the wait
     * with {@link #close()}, which must make this throw at once.
     *
     * @param timeout how long to wait; {@link Duration#ZERO} waits without limit, and a positive
     *                time-out must end the wait with {@link java.net.SocketTimeoutException} once passed
     * @return the link to the peer, never null
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

    /**
     * Gives up waiting; a blocked {@link #awaitPeer} must fail at once. Must be idempotent, callable
     * from any thread, and must not throw. The engine calls it when the channel ends, also after
     * {@code awaitPeer} returned (a link it returned is closed on its own).
     */
    @Override
    void close();
}
