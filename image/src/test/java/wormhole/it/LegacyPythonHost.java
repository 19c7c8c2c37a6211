package wormhole.it;

import java.time.Duration;
import wormhole.crypto.Side;

/**
 * A host scripted as agent-wormhole 0.1.5 (Python) on a relay: it joins with the legacy three-word
 * code as the channel id and, once the relay answered {@code waiting}, sends its SPAKE2 message and
 * takes every later message for a frame (see {@link LegacyPythonEnd}).
 */
final class LegacyPythonHost extends LegacyPythonEnd {
    private LegacyPythonHost(int relayPort, String code) {
        super(relayPort, code, Side.HOST);
    }

    /** Joins the relay as the host and sends the SPAKE2 message; the join's answer is {@link #joinStatus()}. */
    static LegacyPythonHost join(int relayPort, String code) throws InterruptedException {
        LegacyPythonHost h = new LegacyPythonHost(relayPort, code);
        h.open(Duration.ofSeconds(10));
        return h;
    }
}
