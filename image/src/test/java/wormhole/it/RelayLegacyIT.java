package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Legacy three-word codes through a real relay process, against ends scripted byte for byte as
 * agent-wormhole 0.1.5 behaves: our {@code connect} with a Python host, and our {@code host --v1-code}
 * with a Python peer. The Python end takes every message after its join's status for a frame, so any
 * extra relay message on the way (such as a second status) would fail its handshake.
 */
@Timeout(120)
class RelayLegacyIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String CODE = "apple-banana-cherry";
    /** What the relay tells a version-1 side whose partner left: to Python, one more (undecryptable) frame. */
    private static final byte[] PEER_DISCONNECTED = "{\"type\":\"status\",\"event\":\"peer_disconnected\"}"
            .getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;

    @Test
    void ourPeerConnectsToAPythonHostWithALegacyCodeAndWarns() throws Exception {
        Image image = Image.locate();
        Path runtime = Files.createDirectories(tmp.resolve("peer-rt"));
        try (RelayProcess relay = RelayProcess.start(image)) {
            LegacyPythonHost python = LegacyPythonHost.join(relay.port, CODE);
            try {
                assertEquals("{\"type\":\"status\",\"event\":\"waiting\"}", python.joinStatus());
                try (Image.Running peer = RelayPair.command(image, tmp, runtime, "connect", CODE, "--relay", relay.url()).start()) {
                    JsonNode version = Json.parse(python.handshake(WAIT));
                    assertEquals(1, version.path("version").asInt(), version::toString);
                    assertEquals("peer", version.path("role").asText(), version::toString);

                    JsonNode connected = Json.parse(peer.awaitLine(Json.status("connected"), WAIT));
                    assertEquals(python.verifier(), connected.path("verifier").asText(), connected::toString);
                    assertEquals(0, connected.path("features").size(), "Python offers no features: " + connected);
                    assertTrue(peer.linesSoFar().stream().anyMatch(Json.status("paired")), peer.linesSoFar()::toString);

                    python.sendSealed("{\"type\": \"text\", \"body\": \"hello from python 0.1\"}");
                    assertEquals("hello from python 0.1", Json.parse(peer.awaitLine(Json.type("text"), WAIT)).path("body").asText());

                    Image.Result sent = RelayPair.command(image, tmp, runtime, "send", CODE, "hello", "python").run();
                    Pair.sent(sent);
                    JsonNode got = Json.parse(python.receiveSealed(WAIT));
                    assertEquals("text", got.path("type").asText(), got::toString);
                    assertEquals("hello python", got.path("body").asText(), got::toString);

                    // Python offers no close feature: our close just ends the link, which the relay reports
                    // with a status message that Python reads as one more frame (and fails to decrypt).
                    Image.Result close = RelayPair.command(image, tmp, runtime, "close", CODE).run();
                    assertEquals(0, close.exitCode(), close::toString);
                    peer.awaitLine(Json.status("closed"), WAIT);
                    assertEquals(0, peer.waitFor(WAIT));
                    assertArrayEquals(PEER_DISCONNECTED, python.nextFrame(WAIT));
                    assertTrue(python.awaitClosed(WAIT), "the relay closes the Python side's connection");

                    String stderr = peer.stderr(WAIT);
                    assertTrue(stderr.contains("warning") && stderr.contains("legacy"), stderr);
                    assertTrue(peer.linesSoFar().stream().noneMatch(l -> l.contains(CODE)), "stdout never shows the code");
                    assertEquals(0, Pair.channelFiles(runtime));
                }
            } finally {
                python.shutdown();
            }
        }
    }

    @Test
    void ourV1CodeHostTakesAPythonPeerAndWarnsThatTheRelaySeesTheCode() throws Exception {
        Image image = Image.locate();
        Path runtime = Files.createDirectories(tmp.resolve("host-rt"));
        try (RelayProcess relay = RelayProcess.start(image);
                Image.Running host = RelayPair.command(image, tmp, runtime, "host", "--v1-code", "--relay", relay.url()).start()) {
            JsonNode channel = Json.parse(host.awaitLine(Json.status("channel"), WAIT));
            String code = channel.path("code").asText();
            assertTrue(code.matches("^[a-z]+-[a-z]+-[a-z]+$"), "the reference relay's pattern: " + code);
            assertEquals("relay", channel.path("mode").asText(), channel::toString);
            host.awaitLine(Json.status("waiting"), WAIT);

            LegacyPythonPeer python = LegacyPythonPeer.join(relay.port, code);
            try {
                assertEquals("{\"type\":\"status\",\"event\":\"paired\"}", python.joinStatus());
                JsonNode version = Json.parse(python.handshake(WAIT));
                assertEquals("host", version.path("role").asText(), version::toString);
                JsonNode connected = Json.parse(host.awaitLine(Json.status("connected"), WAIT));
                assertEquals(python.verifier(), connected.path("verifier").asText(), connected::toString);
                assertEquals(0, connected.path("features").size(), connected::toString);

                python.sendSealed("{\"type\": \"text\", \"body\": \"hello from a python peer\"}");
                assertEquals("hello from a python peer", Json.parse(host.awaitLine(Json.type("text"), WAIT)).path("body").asText());
                Pair.sent(RelayPair.command(image, tmp, runtime, "send", code, "hello", "python", "peer").run());
                assertEquals("hello python peer", Json.parse(python.receiveSealed(WAIT)).path("body").asText());

                Image.Result close = RelayPair.command(image, tmp, runtime, "close", code).run();
                assertEquals(0, close.exitCode(), close::toString);
                assertEquals(0, host.waitFor(WAIT));
                assertArrayEquals(PEER_DISCONNECTED, python.nextFrame(WAIT));

                String stderr = host.stderr(WAIT);
                assertTrue(stderr.contains("--v1-code") && stderr.contains("relay sees the whole code"), stderr);
                assertEquals(0, Pair.channelFiles(runtime));
            } finally {
                python.shutdown();
            }
        }
    }

    @Test
    void v1CodeDoesNotGoWithDirectOrOtherWordCounts() {
        Image image = Image.locate();
        Image.Result direct = image.command("host", "--v1-code", "--direct").env("XDG_RUNTIME_DIR", tmp.toString()).run();
        assertEquals(2, direct.exitCode(), direct::toString);
        Image.Result words = image.command("host", "--v1-code", "--words", "4", "--relay", "ws://127.0.0.1:9")
                .env("XDG_RUNTIME_DIR", tmp.toString()).run();
        assertEquals(2, words.exitCode(), words::toString);
    }
}
