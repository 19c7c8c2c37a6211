package wormhole.api.spi;

/**
 * A {@link FrameLink} that can carry its channel across a dropped connection when both ends agree.
 * The engine lists the feature {@code resume} in its version message when {@link #offersResume()},
 * and once the version messages are exchanged calls exactly one of {@link #resumeAgreed} (both ends
 * listed it) or {@link #resumeDeclined}, on the thread that receives, before its next
 * {@link #receive()}. Until then the link behaves as a plain one and counts every frame from the
 * first, so both ends number frames alike.
 */
public interface ResumableLink extends FrameLink {
    /** @return whether this link offers to resume */
    boolean offersResume();

    /**
     * Both ends offered: from now on keep what was sent until confirmed, and resume after a drop,
     * proving to the other end with {@code keys} that this end holds the session.
     *
     * @param keys the two ends' proof keys, owned by the link from now on (it wipes them on close)
     */
    void resumeAgreed(ResumeKeys keys);

    /** The other end did not offer (a version-1 peer): stop keeping frames, release what waits for a resume. */
    void resumeDeclined();
}
