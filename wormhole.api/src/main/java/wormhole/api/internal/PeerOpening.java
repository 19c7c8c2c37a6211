package wormhole.api.internal;

import wormhole.api.spi.OpeningCheck;
import wormhole.crypto.Side;
import wormhole.crypto.Spake2;

/**
 * The peer's first frame, as a host expects it: a well-formed SPAKE2 message from side B. Anything
 * else is a stray connection, which a transport may drop without spending the channel; only a
 * well-formed message that then fails key confirmation counts as the channel's one guess.
 */
enum PeerOpening implements OpeningCheck {
    INSTANCE;

    @Override
    public int maxLength() {
        return Spake2.MESSAGE_LENGTH;
    }

    @Override
    public boolean accepts(byte[] frame) {
        return Spake2.isWellFormed(frame, Side.PEER);
    }
}
