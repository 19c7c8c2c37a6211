package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A legacy three-word code: our {@code connect} against a host scripted like agent-wormhole 0.1.x,
 * through a real relay process.
 */
@Timeout(120)
class RelayLegacyIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String CODE = "apple-banana-cherry";

    @TempDir
    Path tmp;

    @Test
    void ourPeerConnectsToAPythonHostWithALegacyCodeAndWarns() throws Exception {
        Image image = Image.locate();
        Path runtime = Files.createDirectories(tmp.resolve("peer-rt"));
        try (RelayProcess relay = RelayProcess.start(image)) {
            LegacyPythonHost python = LegacyPythonHost.join(relay.port, CODE);
            try {
                assertEquals("{\"type\":\"status\",\"event\":\"waiting\"}", python.nextText(WAIT));
                try (Image.Running peer = RelayPair.command(image, tmp, runtime, "connect", CODE, "--relay", relay.url()).start()) {
                    assertEquals("{\"type\":\"status\",\"event\":\"paired\"}", python.nextText(WAIT));
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

                    // Python offers no close feature: our close just ends the link, which the relay reports.
                    Image.Result close = RelayPair.command(image, tmp, runtime, "close", CODE).run();
                    assertEquals(0, close.exitCode(), close::toString);
                    peer.awaitLine(Json.status("closed"), WAIT);
                    assertEquals(0, peer.waitFor(WAIT));
                    assertEquals("{\"type\":\"status\",\"event\":\"peer_disconnected\"}", python.nextText(WAIT));
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
}
