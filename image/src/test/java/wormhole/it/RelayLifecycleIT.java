package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How relay channels start and end with real processes: wrong codes, a host that has gone, a third
 * party, close, and a relay that is not there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class RelayLifecycleIT {
    /** A refusal must come quickly; anything near this is a hang. */
    private static final Duration PROMPT = Duration.ofSeconds(15);

    private final Image image = Image.locate();
    private RelayProcess relay;

    @TempDir
    Path tmp;

    @BeforeAll
    void startRelay() {
        relay = RelayProcess.start(image);
    }

    @AfterAll
    void stopRelay() {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void aWrongCodeFailsTheHandshakeOnBothEndsAndDeliversNothing() throws IOException {
        try (RelayPair p = RelayPair.host(image, tmp, relay.url())) {
            String[] parts = p.code.split("-");
            String wrong = parts[0] + "-" + (parts[1].equals("apple") ? "basil" : "apple") + "-" + parts[2] + "-" + parts[3];
            p.connectPeer(wrong, relay.url());
            JsonNode h = Json.parse(p.host.awaitLine(Json.status("handshake_failed"), Pair.LINE));
            JsonNode c = Json.parse(p.peer.awaitLine(Json.status("handshake_failed"), Pair.LINE));
            assertTrue(h.has("detail") && c.has("detail"), h + " " + c);
            assertEquals(3, p.host.waitFor(PROMPT));
            assertEquals(3, p.peer.waitFor(PROMPT));
            for (List<String> lines : List.of(p.host.linesSoFar(), p.peer.linesSoFar())) {
                assertTrue(lines.stream().anyMatch(Json.status("paired")), lines::toString);
                assertTrue(lines.stream().noneMatch(Json.status("connected")), lines::toString);
                assertTrue(lines.stream().noneMatch(Json.type("text").or(Json.type("file"))), lines::toString);
            }
            assertEquals(0, Pair.channelFiles(p.hostRuntime));
            assertEquals(0, Pair.channelFiles(p.peerRuntime));
        }
    }

    @Test
    void aPeerOfAHostThatClosedFailsAtOnceWithNoSuchChannel() throws IOException {
        try (RelayPair p = RelayPair.host(image, tmp, relay.url())) {
            p.host.awaitLine(Json.status("waiting"), Pair.LINE);
            Image.Result close = RelayPair.command(image, tmp, p.hostRuntime, "close", p.code).run();
            assertEquals(0, close.exitCode(), close::toString);
            assertEquals(0, p.host.waitFor(PROMPT));
            assertPeerRefused(p, "no_such_channel");
        }
    }

    @Test
    void aPeerOfAHostThatWasKilledFailsAtOnceWithNoSuchChannel() throws IOException {
        try (RelayPair p = RelayPair.host(image, tmp, relay.url())) {
            p.host.awaitLine(Json.status("waiting"), Pair.LINE);
            p.host.process().destroyForcibly();
            p.host.waitFor(PROMPT);
            assertPeerRefused(p, "no_such_channel");
        }
    }

    private void assertPeerRefused(RelayPair p, String relayCode) throws IOException {
        long start = System.nanoTime();
        p.connectPeer(p.code, relay.url());
        JsonNode failed = Json.parse(p.peer.awaitLine(Json.status("connection_failed"), PROMPT));
        assertEquals(4, p.peer.waitFor(PROMPT));
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        System.out.println("refused " + relayCode + " in " + millis + " ms: " + failed);
        String detail = failed.path("detail").asText();
        assertTrue(detail.startsWith("relay: ") && detail.contains("(" + relayCode + ")"), detail);
        assertTrue(p.peer.linesSoFar().stream().noneMatch(Json.status("paired").or(Json.status("connected"))),
                p.peer.linesSoFar()::toString);
        assertEquals(0, Pair.channelFiles(p.peerRuntime));
    }

    @Test
    void aThirdPartyIsRefusedAndTheChannelKeepsWorking() throws IOException {
        try (RelayPair p = RelayPair.connected(image, tmp, relay.url(), relay.url())) {
            Path thirdRuntime = Files.createDirectories(tmp.resolve("third-rt"));
            Image.Result third = RelayPair.command(image, tmp, thirdRuntime, "connect", p.code, "--relay", relay.url())
                    .timeout(PROMPT).run();
            assertEquals(4, third.exitCode(), third::toString);
            JsonNode failed = Json.parse(third.stdoutLines().get(third.stdoutLines().size() - 1));
            assertEquals("connection_failed", failed.path("event").asText(), third::toString);
            assertTrue(failed.path("detail").asText().contains("(channel_full)"), third::toString);
            assertEquals(0, Pair.channelFiles(thirdRuntime));

            Pair.sent(p.sendFromHost("still ours"));
            assertEquals("still ours", Json.parse(p.peer.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());
            Pair.sent(p.sendFromPeer("still ours too"));
            assertEquals("still ours too", Json.parse(p.host.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());
            for (Image.Running end : new Image.Running[] {p.host, p.peer}) {
                assertTrue(end.linesSoFar().stream().noneMatch(Json.status("peer_disconnected").or(Json.status("disconnected"))),
                        end.linesSoFar()::toString);
            }
        }
    }

    @Test
    void closeEndsBothEndsAndLeavesNoFileOfTheChannel() throws IOException {
        try (RelayPair p = RelayPair.connected(image, tmp, relay.url(), relay.url())) {
            Pair.sent(p.sendFromHost("something to leave on disk ".repeat(100)));
            p.peer.awaitLine(Json.type("text"), Pair.LINE);
            Image.Result close = RelayPair.command(image, tmp, p.peerRuntime, "close", p.code).run();
            assertEquals(0, close.exitCode(), close::toString);
            p.peer.awaitLine(Json.status("closed"), Pair.LINE);
            p.host.awaitLine(Json.status("closed"), Pair.LINE);
            assertEquals(0, p.peer.waitFor(PROMPT));
            assertEquals(0, p.host.waitFor(PROMPT));
            assertEquals(0, Pair.channelFiles(p.hostRuntime));
            assertEquals(0, Pair.channelFiles(p.peerRuntime));
        }
    }

    @Test
    void aRelayPortWithNothingListeningFailsWithConnectionFailed() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path runtime = Files.createDirectories(tmp.resolve("lonely-rt"));
        long start = System.nanoTime();
        Image.Result r = RelayPair.command(image, tmp, runtime, "host", "--relay", "ws://127.0.0.1:" + port)
                .timeout(Duration.ofSeconds(30)).run();
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        System.out.println("host with no relay failed in " + millis + " ms: " + r);
        assertEquals(4, r.exitCode(), r::toString);
        JsonNode last = Json.parse(r.stdoutLines().get(r.stdoutLines().size() - 1));
        assertEquals("connection_failed", last.path("event").asText(), r::toString);
        assertTrue(last.path("detail").asText().contains("127.0.0.1:" + port), "the detail names the relay: " + r);
        assertTrue(r.stdoutLines().stream().noneMatch(Json.status("channel")), "no code for a channel that never opened: " + r);
        assertEquals(0, Pair.channelFiles(runtime));
    }
}
