package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scripted Python ends fail where agent-wormhole 0.1.5 fails: a relay's status message after the
 * join's own status is read as the other end's SPAKE2 message and refused as python-spake2 refuses
 * it. (This is how the reference broke when our relay sent a Python host {@code paired}.)
 */
@Timeout(60)
class LegacyPythonEndIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aStatusMessageAfterTheJoinFailsAPythonHostsHandshake() throws Exception {
        try (ScriptedRelay relay = new ScriptedRelay(conn -> {
            conn.send("{\"type\":\"status\",\"event\":\"waiting\"}");
            conn.send("{\"type\":\"status\",\"event\":\"paired\"}");
        })) {
            LegacyPythonHost python = LegacyPythonHost.join(relay.getPort(), "apple-banana-cherry");
            try {
                assertEquals("{\"type\":\"status\",\"event\":\"waiting\"}", python.joinStatus());
                LegacyPythonEnd.HandshakeFailed e = assertThrows(LegacyPythonEnd.HandshakeFailed.class, () -> python.handshake(WAIT));
                assertEquals(LegacyPythonEnd.UNKNOWN_SIDE, e.getMessage());
            } finally {
                python.shutdown();
            }
        }
    }

    @Test
    void aFirstFrameFromItsOwnSideFailsAPythonPeersHandshake() throws Exception {
        try (ScriptedRelay relay = new ScriptedRelay(conn -> {
            conn.send("{\"type\": \"status\", \"event\": \"paired\"}");
            conn.send(new byte[] {'B', 1, 2, 3});
        })) {
            LegacyPythonPeer python = LegacyPythonPeer.join(relay.getPort(), "apple-banana-cherry");
            try {
                LegacyPythonEnd.HandshakeFailed e = assertThrows(LegacyPythonEnd.HandshakeFailed.class, () -> python.handshake(WAIT));
                assertEquals("I'm B, but I got a message from B (not A).", e.getMessage());
            } finally {
                python.shutdown();
            }
        }
    }
}
