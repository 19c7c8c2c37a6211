package wormhole.it;

import java.time.Duration;
import wormhole.crypto.Side;

/**
 * A peer scripted as agent-wormhole 0.1.5 (Python) on a relay: it joins with the whole three-word code
 * and, once the relay answered {@code paired}, sends its SPAKE2 message and takes every later message
 * for a frame (see {@link LegacyPythonEnd}).
 */
final class LegacyPythonPeer extends LegacyPythonEnd {
    private LegacyPythonPeer(int relayPort, String code) {
        super(relayPort, code, Side.PEER);
    }

    /** Joins the relay as the peer and sends the SPAKE2 message; the join's answer is {@link #joinStatus()}. */
    static LegacyPythonPeer join(int relayPort, String code) throws InterruptedException {
        LegacyPythonPeer p = new LegacyPythonPeer(relayPort, code);
        p.open(Duration.ofSeconds(10));
        return p;
    }
}
