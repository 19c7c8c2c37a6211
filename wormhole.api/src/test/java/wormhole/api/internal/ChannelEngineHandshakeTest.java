package wormhole.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wormhole.api.ChannelCode;
import wormhole.api.EndReason;
import wormhole.api.WormholeException;
import wormhole.api.WormholeException.Failure;
import wormhole.crypto.Side;

/**
 * The engine's handshake against a hand-driven other end: time-outs, garbage, end of file, wrong
 * versions, roles and codes.
 */
class ChannelEngineHandshakeTest extends EngineHarness {
    @Test
    void theVersionMessageNamesRoleVersionAndFeatures() throws Exception {
        JsonNode version = connect();
        assertEquals(1, version.get("version").asInt());
        assertEquals("peer", version.get("role").asText());
        List<String> features = new ArrayList<>();
        version.get("features").forEach(f -> features.add(f.asText()));
        assertTrue(features.containsAll(List.of("close", "ping")), features.toString());
        assertTrue(engine.isConnected());
        assertEquals(Set.of(), engine.sharedFeatures(), "a Python host offers no features");
    }

    @Test
    void aPeerThatSendsItsSpake2MessageAndThenNothingFailsAfterTheHandshakeTimeout() throws Exception {
        long start = System.nanoTime();
        start(Duration.ofMillis(300));
        host.keyExchange();
        events.ended(EndReason.HANDSHAKE_FAILED);
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsed >= 300, "ended after " + elapsed + " ms");
        assertTrue(pair.a.isClosed());
    }

    @Test
    void aGarbageFirstFrameFailsTheHandshake() throws Exception {
        start(Duration.ofSeconds(5));
        byte[] garbage = new byte[33];
        Arrays.fill(garbage, (byte) 0xff);
        garbage[0] = 0x41;
        pair.b.send(garbage);
        events.ended(EndReason.HANDSHAKE_FAILED);
        assertFalse(engine.isConnected());
        assertTrue(pair.a.isClosed());
    }

    @Test
    void endOfFileBeforeAnyFrameFailsTheHandshake() throws Exception {
        start(Duration.ofSeconds(5));
        pair.b.close();
        events.ended(EndReason.HANDSHAKE_FAILED);
    }

    @Test
    void endOfFileAfterTheKeyExchangeFailsTheHandshake() throws Exception {
        start(Duration.ofSeconds(5));
        host.keyExchange();
        pair.b.close();
        events.ended(EndReason.HANDSHAKE_FAILED);
    }

    @Test
    void aVersionOtherThanOneFailsTheHandshake() throws Exception {
        start(Duration.ofSeconds(5));
        host.handshake("{\"version\": 2, \"role\": \"host\"}");
        events.ended(EndReason.HANDSHAKE_FAILED);
    }

    @Test
    void bothEndsClaimingOneRoleFailsTheHandshake() throws Exception {
        start(Duration.ofSeconds(5));
        host.handshake("{\"version\": 1, \"role\": \"peer\"}");
        events.ended(EndReason.HANDSHAKE_FAILED);
    }

    @Test
    void aWrongCodeFailsTheHandshakeAndLeavesNoVerifier() throws Exception {
        start(Duration.ofSeconds(5));
        ManualEnd wrong = new ManualEnd(pair.b, Side.HOST, ChannelCode.parse("4242-apple-banana-cherries"));
        wrong.keyExchange();
        wrong.send("{\"version\": 1, \"role\": \"host\"}");
        events.ended(EndReason.HANDSHAKE_FAILED);
        assertFalse(engine.isConnected());
        // Channel.verifier(): "the verifier string once connected"; this channel never was.
        assertEquals(java.util.Optional.empty(), engine.verifier());
    }

    @Test
    void sendingBeforeTheHandshakeIsNotConnected() throws Exception {
        start(Duration.ofSeconds(5));
        WormholeException e = assertThrows(WormholeException.class, () -> engine.sendText("early"));
        assertEquals(Failure.NOT_CONNECTED, e.failure());
    }

    @Test
    void aFileTooBigForVersion1BeforeTheHandshakeIsNotConnectedRatherThanTooLarge(@TempDir Path dir) throws Exception {
        start(Duration.ofSeconds(5));
        Path big = dir.resolve("big.bin");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(12L * 1024 * 1024);
        }
        WormholeException e = assertThrows(WormholeException.class, () -> engine.sendFile(big, "big.bin"));
        assertEquals(Failure.NOT_CONNECTED, e.failure(), e::getMessage);
        WormholeException missing = assertThrows(WormholeException.class,
                () -> engine.sendFile(dir.resolve("absent"), "absent"));
        assertEquals(Failure.NOT_CONNECTED, missing.failure(), missing::getMessage);
    }
}
