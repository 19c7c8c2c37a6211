package wormhole.api.spi;

/**
 * A {@link FrameLink} that can carry a channel's upgrade to a direct path: a link through a
 * rendezvous between networks (a relay), which the two ends would rather leave for a direct TCP
 * connection when they can reach each other. A link that does not implement it, or answers false,
 * declines: the engine never offers the upgrade over it, and nothing changes on its wire.
 *
 * <p>When both ends offered (the engine lists the feature {@code upgrade} in its version message),
 * the link must, from the first frame after the version messages to its end:
 * <ul>
 *   <li>keep carrying whole frames reliably and in order, as before: the engine numbers every frame
 *       and resends only those it sent over the direct path, so a frame the link accepted must reach
 *       the other end (after any resume of its own), or the link must fail;</li>
 *   <li>stay open while idle: once the direct path carries the frames, the engine sends a small
 *       keepalive frame through this link at least every quarter of its {@link #idleLimit()}, so a
 *       rendezvous that drops idle links keeps it as the fallback; a link with no idle limit gets
 *       one a minute;</li>
 *   <li>never look inside the frames: the engine prefixes each with a record type and a number in
 *       clear (nothing secret), and the frame itself is sealed as always.</li>
 * </ul>
 */
public interface UpgradeCarrier extends FrameLink {
    /** @return whether this link may carry an upgrade to a direct path */
    boolean carriesUpgrade();
}
