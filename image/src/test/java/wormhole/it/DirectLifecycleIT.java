package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** How direct channels start and end: wrong codes, refusals, kills, close and signals. */
@Timeout(120)
class DirectLifecycleIT {
    private static final Duration EXIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private final Image image = Image.locate();

    @Test
    void aWrongCodeFailsTheHandshakeOnBothEndsAndDeliversNothing() throws IOException {
        try (Pair p = Pair.host(image, tmp)) {
            String[] parts = p.code.split("-");
            String wrong = parts[0] + "-" + (parts[1].equals("apple") ? "basil" : "apple") + "-" + parts[2] + "-" + parts[3];
            p.connectPeer(wrong + "@127.0.0.1");
            JsonNode h = Json.parse(p.host.awaitLine(Json.status("handshake_failed"), Pair.LINE));
            JsonNode c = Json.parse(p.peer.awaitLine(Json.status("handshake_failed"), Pair.LINE));
            assertTrue(h.has("detail") && c.has("detail"));
            assertEquals(3, p.host.waitFor(EXIT));
            assertEquals(3, p.peer.waitFor(EXIT));
            for (List<String> lines : List.of(p.host.linesSoFar(), p.peer.linesSoFar())) {
                assertTrue(lines.stream().noneMatch(Json.status("connected")), lines::toString);
                assertTrue(lines.stream().noneMatch(Json.type("text").or(Json.type("file"))), lines::toString);
            }
            assertEquals(0, Pair.channelFiles(p.hostRuntime));
            assertEquals(0, Pair.channelFiles(p.peerRuntime));
        }
    }

    @Test
    void aSecondConnectionToAUsedDirectPortIsRefusedWhenTheChannelDoesNotResume() throws IOException {
        // With resume (the default between two Java ends) the port stays open for the peer's
        // comeback only: DirectResumeIT shows a third party refused there.
        try (Pair p = Pair.connected(image, tmp, "--resume-limit", "0")) {
            assertThrows(ConnectException.class, () -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", p.port()), 2000);
                }
            });
        }
    }

    @Test
    void aKilledPeerIsReportedAsDisconnectedAndTheHostCleansUp() throws IOException {
        // A killed peer looks like a dropped connection: the host waits for it up to the resume limit.
        try (Pair p = Pair.connected(image, tmp, "--resume-limit", "3")) {
            p.peer.process().destroyForcibly();
            p.host.awaitLine(Json.status("disconnected"), Pair.LINE);
            assertEquals(5, p.host.waitFor(EXIT));
            assertEquals(0, Pair.channelFiles(p.hostRuntime));
        }
    }

    @Test
    void closeDeletesWhatAKilledChannelLeftBehind() throws IOException {
        try (Pair p = Pair.connected(image, tmp)) {
            p.host.process().destroyForcibly();
            p.host.waitFor(EXIT);
            assertTrue(Pair.channelFiles(p.hostRuntime) > 0, "a SIGKILL leaves the folder behind");
            Image.Result status = image.command("status").env("XDG_RUNTIME_DIR", p.hostRuntime.toString()).run();
            assertEquals("stale", Json.parse(status.stdoutLines().get(0)).path("state").asText(), status::toString);
            Image.Result close = image.command("close", p.code).env("XDG_RUNTIME_DIR", p.hostRuntime.toString()).run();
            assertEquals(0, close.exitCode(), close::toString);
            assertEquals(0, Pair.channelFiles(p.hostRuntime));
        }
    }

    @Test
    void closeEndsBothEndsAndLeavesNoFileOfTheChannel() throws IOException {
        try (Pair p = Pair.connected(image, tmp)) {
            Pair.sent(p.sendFromHost("something to leave on disk ".repeat(100)));
            p.peer.awaitLine(Json.type("text"), Pair.LINE);
            Image.Result close = image.command("close", p.code).env("XDG_RUNTIME_DIR", p.peerRuntime.toString()).run();
            assertEquals(0, close.exitCode(), close::toString);
            assertEquals("closed", Json.parse(close.stdoutLines().get(0)).path("event").asText());
            p.assertEnded("closed", 0, "closed", 0);
        }
    }

    @Test
    void sigtermClosesTheChannelTheSameCleanWay() throws IOException {
        try (Pair p = Pair.connected(image, tmp)) {
            // Process.destroy() would also close our end of its stdout; send the signal with kill(1).
            Image.Result kill = Image.program(Path.of("/bin/kill"), "-TERM", Long.toString(p.host.process().pid())).run();
            assertEquals(0, kill.exitCode(), kill::toString);
            p.assertEnded("closed", 0, "closed", 0);
        }
    }

    @Test
    void theInactivityTimeoutClosesBothEndsCleanly() throws IOException {
        try (Pair p = Pair.host(image, tmp, "--inactivity-timeout", "2")) {
            p.connectPeer(p.code + "@127.0.0.1");
            p.peer.awaitLine(Json.status("connected"), Pair.LINE);
            p.assertEnded("timeout", 6, "closed", 0);
        }
    }

    @Test
    void connectingToAPortWhereNobodyListensFailsAtOnce() throws IOException {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Image.Result r = image.command("connect", port + "-apple-basil-cedar@127.0.0.1")
                .env("XDG_RUNTIME_DIR", tmp.toString()).run();
        assertEquals(4, r.exitCode(), r::toString);
        assertEquals("connection_failed", Json.parse(r.stdoutLines().get(r.stdoutLines().size() - 1)).path("event").asText());
        assertEquals(0, Pair.channelFiles(tmp));
    }

    @Test
    void connectTakesTheCodeFromStandardInput() throws IOException {
        try (Pair p = Pair.host(image, tmp)) {
            p.peer = image.command("connect").env("XDG_RUNTIME_DIR", p.peerRuntime.toString())
                    .stdin(p.code + "@127.0.0.1\n").start();
            p.peer.awaitLine(Json.status("connected"), Pair.LINE);
            p.host.awaitLine(Json.status("connected"), Pair.LINE);
        }
    }

    @Test
    void connectTakesTheCodeFromTheEnvironment() throws IOException {
        try (Pair p = Pair.host(image, tmp)) {
            p.peer = image.command("connect").env("XDG_RUNTIME_DIR", p.peerRuntime.toString())
                    .env("AGENT_WORMHOLE_CODE", p.code + "@127.0.0.1").start();
            p.peer.awaitLine(Json.status("connected"), Pair.LINE);
            String cmdline = java.nio.file.Files.readString(Path.of("/proc", Long.toString(p.peer.process().pid()), "cmdline"));
            assertTrue(!cmdline.contains(p.code), "the code must not be in the arguments");
        }
    }

    @Test
    void sendBeforeThePeerArrivesFailsWithNotConnected() throws IOException {
        try (Pair p = Pair.host(image, tmp)) {
            Image.Result r = p.sendFromHost("too early");
            assertEquals(8, r.exitCode(), r::toString);
            assertEquals("not_connected", Json.parse(r.stdoutLines().get(0)).path("error").asText());
        }
    }

    @Test
    void sendOfAnyKindBeforeThePeerArrivesFailsWithNotConnected() throws IOException {
        Path big = tmp.resolve("big.bin");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(12L * 1024 * 1024); // over the version-1 file limit
        }
        try (Pair p = Pair.host(image, tmp)) {
            List<Image.Result> results = List.of(
                    p.sendFromHost("--file", big.toString()),
                    p.sendFromHost("--file", tmp.toString()),
                    p.send(p.hostRuntime, "x".repeat(11 * 1024 * 1024), "--stdin"));
            for (Image.Result r : results) {
                assertEquals(8, r.exitCode(), r::toString);
                assertEquals("not_connected", Json.parse(r.stdoutLines().get(0)).path("error").asText(), r::toString);
            }
        }
    }

    @Test
    void bothEndsOnOneMachineNeedTheRoleOption() throws IOException {
        try (Pair p = Pair.host(image, tmp)) {
            p.peer = image.command("connect", p.code + "@127.0.0.1").env("XDG_RUNTIME_DIR", p.hostRuntime.toString()).start();
            p.peer.awaitLine(Json.status("connected"), Pair.LINE);
            p.host.awaitLine(Json.status("connected"), Pair.LINE);
            Image.Result ambiguous = p.sendFromHost("which end?");
            assertEquals(7, ambiguous.exitCode(), ambiguous::toString);
            assertEquals("ambiguous", Json.parse(ambiguous.stdoutLines().get(0)).path("error").asText());
            Pair.sent(p.sendFromHost("--role", "peer", "from the peer"));
            assertEquals("from the peer", Json.parse(p.host.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());
        }
    }

    @Test
    void hostWithoutARelayHostsDirectlyAndPrintsConnectStringsLoopbackLast() throws IOException {
        Path hostRt = java.nio.file.Files.createDirectories(tmp.resolve("host-rt"));
        Path peerRt = java.nio.file.Files.createDirectories(tmp.resolve("peer-rt"));
        try (Image.Running host = image.command("host").env("AGENT_WORMHOLE_RELAY_URL", null)
                .env("XDG_CONFIG_HOME", tmp.resolve("config").toString()).env("XDG_RUNTIME_DIR", hostRt.toString()).start()) {
            JsonNode channel = Json.parse(host.awaitLine(Json.status("channel"), Pair.LINE));
            assertEquals("direct", channel.path("mode").asText(), channel::toString);
            String code = channel.path("code").asText();
            List<String> connect = new java.util.ArrayList<>();
            channel.path("connect").forEach(n -> connect.add(n.asText()));
            assertTrue(connect.size() >= 1, channel::toString);
            assertEquals(code + "@127.0.0.1", connect.get(connect.size() - 1), channel::toString);
            for (String s : connect.subList(0, connect.size() - 1)) {
                assertTrue(s.startsWith(code + "@"), channel::toString);
                assertTrue(!java.net.InetAddress.getByName(s.substring(s.indexOf('@') + 1)).isLoopbackAddress(), channel::toString);
            }
            host.awaitLine(Json.status("waiting"), Pair.LINE);
            try (Image.Running peer = image.command("connect").stdin(connect.get(connect.size() - 1) + "\n")
                    .env("AGENT_WORMHOLE_RELAY_URL", null).env("XDG_CONFIG_HOME", tmp.resolve("config").toString())
                    .env("XDG_RUNTIME_DIR", peerRt.toString()).start()) {
                peer.awaitLine(Json.status("connected"), Pair.LINE);
                host.awaitLine(Json.status("connected"), Pair.LINE);
                Image.Result close = image.command("close", code).env("XDG_RUNTIME_DIR", hostRt.toString()).run();
                assertEquals(0, close.exitCode(), close::toString);
                assertEquals(0, host.waitFor(EXIT));
                assertEquals(0, peer.waitFor(EXIT));
                String note = host.stderr(EXIT);
                assertTrue(note.contains("no relay configured") && note.contains("hosting directly"), note);
            }
        }
    }

    @Test
    void connectWithACodeWithoutAnAddressAndNoRelayFailsAtOnceAndSaysWhatToGive() {
        Image.Result r = image.command("connect", "4242-apple-banana-cherry").env("AGENT_WORMHOLE_RELAY_URL", null)
                .env("XDG_CONFIG_HOME", tmp.toString()).env("XDG_RUNTIME_DIR", tmp.toString()).run();
        assertEquals(2, r.exitCode(), r::toString);
        JsonNode e = Json.parse(r.stdoutLines().get(0));
        assertEquals("usage", e.path("error").asText(), r::toString);
        assertTrue(e.path("detail").asText().contains("--relay"), r::toString);
        assertTrue(e.path("detail").asText().contains("CODE@HOST"), r::toString);
    }

    @Test
    void aLegacyCodeStillNeedsARelay() {
        Image.Result r = image.command("host", "--v1-code").env("AGENT_WORMHOLE_RELAY_URL", null)
                .env("XDG_CONFIG_HOME", tmp.toString()).env("XDG_RUNTIME_DIR", tmp.toString()).run();
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(Json.parse(r.stdoutLines().get(0)).path("detail").asText().contains("no relay configured"), r::toString);
    }
}
