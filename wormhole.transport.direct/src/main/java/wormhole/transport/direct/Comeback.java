package wormhole.transport.direct;

import java.util.concurrent.ThreadFactory;

/**
 * How one end of a {@link ResumingLink} gets a new connection after a drop: the peer reconnects
 * ({@link PeerComeback}), the host takes a proven request on its listener ({@link HostComeback}).
 */
interface Comeback {
    /** @return where the link's threads come from (the channel's {@code LinkSettings.threads()}) */
    ThreadFactory threads();

    /** Both ends agreed: be ready for a drop. */
    void agreed(ResumingLink link);

    /** No resume (a version-1 peer, or the other end's limit is zero). */
    void declined();

    /** The connection dropped: get a new one before {@code deadline} ({@link System#nanoTime()}), or fail the link. */
    void dropped(ResumingLink link, long deadline);

    /** The link is closed. */
    void close();
}
