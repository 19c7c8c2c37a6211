package wormhole.api.spi;

/**
 * Tells a waiting host which first frame comes from a real peer of this channel, so a transport that
 * can be reached by anyone (a direct TCP port) may drop connections that present anything else (a
 * port scan, a health probe, an HTTP request) instead of spending the single-use channel on them.
 * The engine supplies it; it needs no secret, since it checks only the form of the peer's opening
 * message (for SPAKE2: length, side byte and a valid group element).
 */
public interface OpeningCheck {
    /** @return the longest first frame this check can accept; a transport may drop longer ones unread */
    int maxLength();

    /**
     * @param frame a candidate's first frame, at most {@link #maxLength()} bytes
     * @return whether it is a well-formed opening of the peer
     */
    boolean accepts(byte[] frame);
}
