package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our image against the real Python reference, agent-wormhole 0.1.5, on legacy three-word codes:
 * texts both ways through our relay with a Python host or a Python peer, and our {@code --v1-code}
 * host through the reference relay (FastAPI + Redis). Skipped, with how to set it up, where the
 * reference is not installed.
 */
@Timeout(180)
class ReferenceInteropIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @Test
    void aPythonHostAndOurPeerExchangeTextsThroughOurRelay() throws Exception {
        Reference python = Reference.locate();
        Image image = Image.locate();
        Path runtime = Files.createDirectories(tmp.resolve("java-rt"));
        String code = null;
        try (RelayProcess relay = RelayProcess.start(image);
                Image.Running pyHost = python.cli(tmp, "host", "--relay", relay.url()).start()) {
            code = Json.parse(pyHost.awaitLine(Json.status("channel"), WAIT)).path("code").asText();
            assertTrue(code.matches("[a-z]+-[a-z]+-[a-z]+"), code);
            try (Image.Running peer = RelayPair.upgrading(image, tmp, runtime, "connect", code, "--relay", relay.url()).start()) {
                JsonNode connected = Json.parse(peer.awaitLine(Json.status("connected"), WAIT));
                assertEquals(0, connected.path("features").size(), connected::toString);
                assertFalse(connected.path("upgrade").asBoolean(true), "no upgrade with a Python host: " + connected);
                pyHost.awaitLine(Json.status("connected"), WAIT);
                exchangeTexts(python, "host", code, pyHost, peer, runtime, image);
                close(image, runtime, code, peer);
                // The relay tells the Python host with a status message, which Python reads as one more frame.
                pyHost.awaitLine(line -> Json.status("error").test(line) || Json.status("disconnected").test(line), WAIT);
            }
        } finally {
            Reference.deleteChannel(code);
        }
    }

    @Test
    void ourV1CodeHostAndAPythonPeerExchangeTextsThroughOurRelay() throws Exception {
        Reference python = Reference.locate();
        Image image = Image.locate();
        try (RelayProcess relay = RelayProcess.start(image)) {
            v1HostWithPythonPeer(python, image, relay.url());
        }
    }

    @Test
    void ourV1CodeHostAndAPythonPeerExchangeTextsThroughTheReferenceRelay() throws Exception {
        Reference python = Reference.locateWithRelay();
        Image image = Image.locate();
        try (Reference.Relay relay = python.startRelay(tmp)) {
            v1HostWithPythonPeer(python, image, relay.url());
        }
    }

    @Test
    void ourV1CodeHostAndOurPeerConnectThroughTheReferenceRelay() throws Exception {
        Reference python = Reference.locateWithRelay();
        Image image = Image.locate();
        Path hostRt = Files.createDirectories(tmp.resolve("host-rt"));
        Path peerRt = Files.createDirectories(tmp.resolve("peer-rt"));
        try (Reference.Relay relay = python.startRelay(tmp);
                Image.Running host = RelayPair.upgrading(image, tmp, hostRt, "host", "--v1-code", "--relay", relay.url()).start()) {
            String code = Json.parse(host.awaitLine(Json.status("channel"), WAIT)).path("code").asText();
            try (Image.Running peer = RelayPair.upgrading(image, tmp, peerRt, "connect", code, "--relay", relay.url()).start()) {
                JsonNode hostConnected = Json.parse(host.awaitLine(Json.status("connected"), WAIT));
                JsonNode peerConnected = Json.parse(peer.awaitLine(Json.status("connected"), WAIT));
                assertEquals(hostConnected.path("verifier").asText(), peerConnected.path("verifier").asText());
                Pair.sent(RelayPair.upgrading(image, tmp, hostRt, "send", code, "to", "the", "peer").run());
                assertEquals("to the peer", Json.parse(peer.awaitLine(Json.type("text"), WAIT)).path("body").asText());
                Pair.sent(RelayPair.upgrading(image, tmp, peerRt, "send", code, "to", "the", "host").run());
                assertEquals("to the host", Json.parse(host.awaitLine(Json.type("text"), WAIT)).path("body").asText());
                close(image, hostRt, code, host);
            }
        }
    }

    private void v1HostWithPythonPeer(Reference python, Image image, String relayUrl) throws Exception {
        Path runtime = Files.createDirectories(tmp.resolve("java-rt"));
        String code = null;
        try (Image.Running host = RelayPair.upgrading(image, tmp, runtime, "host", "--v1-code", "--relay", relayUrl).start()) {
            code = Json.parse(host.awaitLine(Json.status("channel"), WAIT)).path("code").asText();
            assertTrue(code.matches("^[a-z]+-[a-z]+-[a-z]+$"), code);
            try (Image.Running pyPeer = python.cli(tmp, "connect", code, "--relay", relayUrl).start()) {
                pyPeer.awaitLine(Json.status("connected"), WAIT);
                JsonNode connected = Json.parse(host.awaitLine(Json.status("connected"), WAIT));
                assertEquals(0, connected.path("features").size(), connected::toString);
                assertFalse(connected.path("upgrade").asBoolean(true), "no upgrade with a Python peer: " + connected);
                exchangeTexts(python, "peer", code, pyPeer, host, runtime, image);
                assertTrue(host.linesSoFar().stream().noneMatch(Json.status("path")), host.linesSoFar()::toString);
                close(image, runtime, code, host);
            }
            assertTrue(host.stderr(WAIT).contains("relay sees the whole code"), "the warning");
        } finally {
            Reference.deleteChannel(code);
        }
    }

    /**
     * Our end sends with {@code send}, the Python end with its own {@code send}, which appends to the
     * outbox its running end polls. It needs {@code --role}: 0.1.5 finds the role by the outbox, which
     * exists only after a first send.
     */
    private void exchangeTexts(Reference python, String pyRole, String code, Image.Running pyEnd, Image.Running ourEnd,
            Path runtime, Image image) {
        Pair.sent(RelayPair.upgrading(image, tmp, runtime, "send", code, "hello", "python").run());
        assertEquals("hello python", Json.parse(pyEnd.awaitLine(Json.type("text"), WAIT)).path("body").asText());
        Image.Result pySend = python.cli(tmp, "send", code, "hello java", "--role", pyRole).run();
        assertEquals(0, pySend.exitCode(), pySend::toString);
        assertEquals("hello java", Json.parse(ourEnd.awaitLine(Json.type("text"), WAIT)).path("body").asText());
    }

    private void close(Image image, Path runtime, String code, Image.Running ourEnd) throws java.io.IOException {
        Image.Result close = RelayPair.upgrading(image, tmp, runtime, "close", code).run();
        assertEquals(0, close.exitCode(), close::toString);
        assertEquals(0, ourEnd.waitFor(WAIT));
        assertEquals(0, Pair.channelFiles(runtime));
    }
}
