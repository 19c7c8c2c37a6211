package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import wormhole.testing.CuttableProxy;

/**
 * A channel that meets through a real relay and moves to a direct connection (feature
 * {@code upgrade}), as real processes on loopback, where several 127.0.0.x addresses stand for the
 * machines' addresses: the path becomes direct and a big file then bypasses the relay; hints that
 * lead nowhere leave the channel on the relay without holding its messages; a direct connection cut
 * in the middle of a file falls back to the relay and the file still arrives whole; a third party on
 * the listening port is refused; {@code --no-upgrade} never listens and never offers.
 */
@Timeout(300)
class UpgradeIT {
    private static final Duration LINE = Duration.ofSeconds(30);
    private static final long BIG = 200L * 1024 * 1024;

    @TempDir
    Path tmp;

    private final Image image = Image.locate();
    private final List<AutoCloseable> started = new ArrayList<>();
    private Path hostRt;
    private Path peerRt;
    private String code;

    @AfterEach
    void stop() {
        for (AutoCloseable c : started) {
            try {
                c.close();
            } catch (Exception e) {
                // closing anyway
            }
        }
    }

    private <T extends AutoCloseable> T keep(T c) {
        started.add(c);
        return c;
    }

    private static Predicate<String> path(String path) {
        return line -> Json.status("path").test(line) && Json.parse(line).path("path").asText().equals(path);
    }

    /** Starts a host and a peer through the relay, each with its own extra options. */
    private Image.Running[] pair(RelayProcess relay, List<String> hostExtra, List<String> peerExtra) throws IOException {
        hostRt = Files.createDirectories(tmp.resolve("host-rt"));
        peerRt = Files.createDirectories(tmp.resolve("peer-rt"));
        Image.Running host = keep(RelayPair.upgrading(image, tmp, hostRt,
                Stream.concat(Stream.of("host", "--relay", relay.url()), hostExtra.stream()).toArray(String[]::new)).start());
        code = Json.parse(host.awaitLine(Json.status("channel"), LINE)).path("code").asText();
        Image.Running peer = keep(RelayPair.upgrading(image, tmp, peerRt,
                Stream.concat(Stream.of("connect", code, "--relay", relay.url()), peerExtra.stream()).toArray(String[]::new)).start());
        return new Image.Running[] {host, peer};
    }

    private Image.Result send(Path runtime, String... args) {
        String[] all = Stream.concat(Stream.of("send", code), Stream.of(args)).toArray(String[]::new);
        return RelayPair.upgrading(image, tmp, runtime, all).timeout(Duration.ofSeconds(240)).run();
    }

    /** A port of 127.0.0.1 that nothing listens on (bound, then closed). */
    private static int closedPort(String address) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(address, 0));
            return s.getLocalPort();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void sendBigFileAndCheck(Image.Running receiver, long seed) throws IOException {
        Path source = tmp.resolve("big-" + seed + ".bin");
        String hash = StreamIT.generate(source, BIG, seed);
        JsonNode sent = Pair.sent(send(hostRt, "--file", source.toString()));
        assertTrue(sent.path("confirmed").asBoolean(), sent::toString);
        JsonNode file = Json.parse(receiver.awaitLine(Json.type("file"), Duration.ofSeconds(240)));
        assertEquals(BIG, file.path("size").asLong(), file::toString);
        assertEquals(hash, StreamIT.sha256(Path.of(file.path("saved_to").asText())), "the file arrived whole");
        Files.delete(source);
    }

    @Test
    void throughARelayThePathBecomesDirectAndA200MiBFileBypassesTheRelay() throws Exception {
        // The relay keeps its default limits (50 MiB a minute per channel): 200 MiB through it would
        // take four minutes. The host names two 127.0.0.x hints, one closed, one its listener.
        RelayProcess relay = keep(RelayProcess.start(image));
        int port = freePort();
        Image.Running[] ends = pair(relay,
                List.of("--upgrade-port", Integer.toString(port),
                        "--upgrade-hints", "127.0.0.3:" + closedPort("127.0.0.3") + ",127.0.0.2:" + port),
                List.of());
        Image.Running host = ends[0];
        Image.Running peer = ends[1];
        assertTrue(Json.parse(host.awaitLine(Json.status("connected"), LINE)).path("upgrade").asBoolean());
        assertTrue(Json.parse(peer.awaitLine(Json.status("connected"), LINE)).path("upgrade").asBoolean());
        host.awaitLine(path("direct"), LINE);
        peer.awaitLine(path("direct"), LINE);
        long before = relay.stats().path("bytes_forwarded").asLong();
        sendBigFileAndCheck(peer, 41);
        long through = relay.stats().path("bytes_forwarded").asLong() - before;
        assertTrue(through < 64 * 1024, "the relay forwarded " + through + " bytes of a 200 MiB transfer");
        Image.Result status = RelayPair.upgrading(image, tmp, hostRt, "status").run();
        assertEquals("direct", Json.parse(status.stdoutLines().get(0)).path("path").asText(), status::toString);
        Image.Result close = RelayPair.upgrading(image, tmp, hostRt, "close", code).run();
        assertEquals(0, close.exitCode(), close::toString);
        assertEquals(0, host.waitFor(LINE));
        assertEquals(0, peer.waitFor(LINE));
        assertTrue(peer.linesSoFar().stream().noneMatch(path("relay")), () -> "a goodbye is no fall-back: " + peer.linesSoFar());
    }

    @Test
    void aChannelThatWentDirectGoesOnWhenTheRelayStops() throws Exception {
        RelayProcess relay = keep(RelayProcess.start(image));
        Image.Running[] ends = pair(relay, List.of(), List.of());
        Image.Running host = ends[0];
        Image.Running peer = ends[1];
        host.awaitLine(path("direct"), LINE);
        peer.awaitLine(path("direct"), LINE);
        relay.terminate();
        assertEquals(0, relay.process.waitFor(LINE));
        Pair.sent(send(hostRt, "without the relay"));
        assertEquals("without the relay", Json.parse(peer.awaitLine(Json.type("text"), LINE)).path("body").asText());
        Pair.sent(send(peerRt, "still direct"));
        assertEquals("still direct", Json.parse(host.awaitLine(Json.type("text"), LINE)).path("body").asText());
        Image.Result close = RelayPair.upgrading(image, tmp, hostRt, "close", code).run();
        assertEquals(0, close.exitCode(), close::toString);
        assertEquals(0, host.waitFor(LINE));
        assertEquals(0, peer.waitFor(LINE));
    }

    @Test
    void hintsThatLeadNowhereLeaveTheChannelOnTheRelayAndHoldNoMessage() throws Exception {
        // Each end names a closed port and an address that drops packets: a listener that never
        // accepts, its accept queue (backlog 1) filled first, so the kernel drops every further
        // connection request unanswered, as a firewall would. Nothing can complete.
        RelayProcess relay = keep(RelayProcess.start(image));
        ServerSocket silent = keep(new ServerSocket());
        silent.bind(new InetSocketAddress("127.0.0.4", 0), 1);
        for (int i = 0; i < 3; i++) {
            Socket filler = keep(new Socket());
            try {
                filler.connect(silent.getLocalSocketAddress(), 500);
            } catch (IOException queueFull) {
                // the queue was full already: requests are being dropped
            }
        }
        String nowhere = "127.0.0.5:" + closedPort("127.0.0.5") + ",127.0.0.4:" + silent.getLocalPort();
        Image.Running[] ends = pair(relay, List.of("--upgrade-hints", nowhere), List.of("--upgrade-hints", nowhere));
        Image.Running host = ends[0];
        Image.Running peer = ends[1];
        host.awaitLine(Json.status("connected"), LINE);
        peer.awaitLine(Json.status("connected"), LINE);
        // While the ends still try (for 10 s), a text each way arrives at once: nothing waits for them.
        long t0 = System.nanoTime();
        Pair.sent(send(hostRt, "while trying"));
        assertEquals("while trying", Json.parse(peer.awaitLine(Json.type("text"), LINE)).path("body").asText());
        Pair.sent(send(peerRt, "back while trying"));
        assertEquals("back while trying", Json.parse(host.awaitLine(Json.type("text"), LINE)).path("body").asText());
        long roundTrip = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        JsonNode gaveUp = Json.parse(peer.awaitLine(path("relay"), LINE));
        assertTrue(gaveUp.path("detail").asText().contains("stays on the relay"), gaveUp::toString);
        host.awaitLine(path("relay"), LINE);
        List<String> peerLines = peer.linesSoFar();
        int text = indexOf(peerLines, Json.type("text"));
        int relayLine = indexOf(peerLines, path("relay"));
        assertTrue(text < relayLine, () -> "the text waited for the attempt (" + roundTrip + " ms): " + peerLines);
        for (Image.Running end : ends) {
            assertTrue(end.linesSoFar().stream().noneMatch(path("direct")), end.linesSoFar()::toString);
        }
        Pair.sent(send(hostRt, "after"));
        assertEquals("after", Json.parse(peer.awaitLine(Json.type("text"), LINE)).path("body").asText());
    }

    private static int indexOf(List<String> lines, Predicate<String> match) {
        for (int i = 0; i < lines.size(); i++) {
            if (match.test(lines.get(i))) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    @Test
    void aDirectConnectionCutInTheMiddleOfAFileFallsBackToTheRelayAndTheFileArrivesWhole() throws Exception {
        // The only direct path runs through a proxy that cuts it after 60 MiB from host to peer.
        RelayProcess relay = keep(RelayProcess.start(image, "--mib-per-minute", "100000", "--frames-per-minute", "1000000"));
        int port = freePort();
        CuttableProxy proxy = keep(CuttableProxy.start(new InetSocketAddress("127.0.0.6", 0),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
        String closed = "127.0.0.5:" + closedPort("127.0.0.5");
        Image.Running[] ends = pair(relay,
                List.of("--upgrade-port", Integer.toString(port), "--upgrade-hints", "127.0.0.6:" + proxy.port()),
                List.of("--upgrade-hints", closed));
        Image.Running host = ends[0];
        Image.Running peer = ends[1];
        host.awaitLine(path("direct"), LINE);
        peer.awaitLine(path("direct"), LINE);
        CountDownLatch cut = proxy.cutAfter(CuttableProxy.Direction.DOWN, 60L * 1024 * 1024);
        sendBigFileAndCheck(peer, 43);
        assertTrue(cut.await(0, TimeUnit.SECONDS), "the direct connection was cut during the file");
        // The path line came before the file line, which sendBigFileAndCheck read past it.
        JsonNode fellBack = Json.parse(peer.linesSoFar().stream().filter(path("relay")).findFirst()
                .orElseThrow(() -> new AssertionError("no fall-back line: " + peer.linesSoFar())));
        assertTrue(fellBack.path("detail").asText().contains("direct connection"), fellBack::toString);
        host.awaitLine(path("relay"), LINE);
        Pair.sent(send(peerRt, "still here"));
        assertEquals("still here", Json.parse(host.awaitLine(Json.type("text"), LINE)).path("body").asText());
    }

    @Test
    void aThirdPartyOnTheListeningPortIsRefusedAndTheChannelIsUnharmed() throws Exception {
        RelayProcess relay = keep(RelayProcess.start(image));
        int port = freePort();
        String closed = "127.0.0.5:" + closedPort("127.0.0.5");
        Image.Running[] ends = pair(relay,
                List.of("--upgrade-port", Integer.toString(port), "--upgrade-hints", closed),
                List.of("--upgrade-hints", closed));
        Image.Running host = ends[0];
        Image.Running peer = ends[1];
        host.awaitLine(Json.status("connected"), LINE);
        peer.awaitLine(Json.status("connected"), LINE);
        try (Socket s = connectWithin(port, Duration.ofSeconds(5))) {
            s.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] request = new byte[42];
            System.arraycopy("AWUPGRADE".getBytes(StandardCharsets.US_ASCII), 0, request, 0, 9);
            request[9] = 1;
            byte[] nonce = new byte[32];
            new SecureRandom().nextBytes(nonce);
            System.arraycopy(nonce, 0, request, 10, 32);
            out.writeInt(request.length);
            out.write(request);
            out.flush();
            assertEquals(32, in.readInt(), "a challenge");
            in.readFully(new byte[32]);
            byte[] guess = new byte[32];
            new SecureRandom().nextBytes(guess);
            out.writeInt(guess.length);
            out.write(guess);
            out.flush();
            assertEquals(-1, readOrEnd(in), "a wrong proof gets no answer: the connection is closed");
        }
        Pair.sent(send(hostRt, "unharmed"));
        assertEquals("unharmed", Json.parse(peer.awaitLine(Json.type("text"), LINE)).path("body").asText());
        host.awaitLine(path("relay"), LINE);
        assertTrue(host.linesSoFar().stream().noneMatch(path("direct")), host.linesSoFar()::toString);
    }

    private static int readOrEnd(DataInputStream in) throws IOException {
        try {
            return in.read();
        } catch (java.net.SocketException e) {
            return -1; // reset: closed as well
        }
    }

    /** Connects once the end has started listening (right after it reported connected). */
    private static Socket connectWithin(int port, Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return s;
            } catch (IOException e) {
                s.close();
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    @Test
    void noUpgradeNeverOffersNeverListensAndKeepsTheChannelOnTheRelay() throws Exception {
        RelayProcess relay = keep(RelayProcess.start(image));
        Image.Running[] ends = pair(relay, List.of("--no-upgrade"), List.of());
        Image.Running host = ends[0];
        Image.Running peer = ends[1];
        JsonNode hostConnected = Json.parse(host.awaitLine(Json.status("connected"), LINE));
        JsonNode peerConnected = Json.parse(peer.awaitLine(Json.status("connected"), LINE));
        assertFalse(hostConnected.path("upgrade").asBoolean(true), hostConnected::toString);
        assertFalse(peerConnected.path("upgrade").asBoolean(true), peerConnected::toString);
        Pair.sent(send(hostRt, "on the relay"));
        assertEquals("on the relay", Json.parse(peer.awaitLine(Json.type("text"), LINE)).path("body").asText());
        Pair.sent(send(peerRt, "back"));
        assertEquals("back", Json.parse(host.awaitLine(Json.type("text"), LINE)).path("body").asText());
        assertEquals(List.of(), ListeningSockets.of(host.process().pid()), "the --no-upgrade end listens on nothing");
        assertEquals(List.of(), ListeningSockets.of(peer.process().pid()), "nor does its peer, which was not offered");
        Image.Result status = RelayPair.upgrading(image, tmp, hostRt, "status").run();
        assertEquals("relay", Json.parse(status.stdoutLines().get(0)).path("path").asText(), status::toString);
        for (Image.Running end : ends) {
            assertTrue(end.linesSoFar().stream().noneMatch(Json.status("path")), end.linesSoFar()::toString);
        }
    }

    @Test
    void noUpgradeInTheConfigFileActsAsTheOption() throws Exception {
        RelayProcess relay = keep(RelayProcess.start(image));
        Path config = Files.createDirectories(tmp.resolve("config-upgrading").resolve("agent-wormhole"));
        Files.writeString(config.resolve("config.json"), "{\"no_upgrade\": true}");
        Image.Running[] ends = pair(relay, List.of(), List.of());
        JsonNode hostConnected = Json.parse(ends[0].awaitLine(Json.status("connected"), LINE));
        assertFalse(hostConnected.path("upgrade").asBoolean(true), hostConnected::toString);
        Pair.sent(send(hostRt, "on the relay"));
        assertEquals("on the relay", Json.parse(ends[1].awaitLine(Json.type("text"), LINE)).path("body").asText());
        assertEquals(List.of(), ListeningSockets.of(ends[0].process().pid()));
    }

    @Test
    void aPythonExactPeerThroughOurRelayIsNeverOfferedTheUpgrade() throws Exception {
        // A peer scripted byte for byte as agent-wormhole 0.1.5 through a relay: the join of 0.1.x,
        // its SPAKE2 message, {"version": 1, "role": "peer"}; our host must list nothing new to it.
        RelayProcess relay = keep(RelayProcess.start(image));
        hostRt = Files.createDirectories(tmp.resolve("host-rt"));
        Image.Running host = keep(RelayPair.upgrading(image, tmp, hostRt, "host", "--v1-code", "--relay", relay.url()).start());
        code = Json.parse(host.awaitLine(Json.status("channel"), LINE)).path("code").asText();
        wormhole.testing.TestClient python = wormhole.testing.TestClient.pythonJoin(relay.port, code, "peer");
        keep(python::close);
        wormhole.crypto.Spake2 spake = wormhole.crypto.Spake2.start(wormhole.crypto.Side.PEER,
                code.getBytes(StandardCharsets.UTF_8), new SecureRandom());
        python.send(spake.outboundMessage());
        wormhole.crypto.FrameSession session;
        try (wormhole.crypto.SharedSecret secret = spake.finish(nextBinary(python))) {
            session = secret.sessionFor(wormhole.crypto.Side.PEER);
        }
        python.send(session.seal("{\"version\": 1, \"role\": \"peer\"}".getBytes(StandardCharsets.UTF_8)));
        JsonNode version = Json.parse(new String(session.open(nextBinary(python)), StandardCharsets.UTF_8));
        List<String> features = new ArrayList<>();
        version.path("features").forEach(f -> features.add(f.asText()));
        assertFalse(features.contains("upgrade"), "offered the upgrade to a version-1 peer: " + version);
        JsonNode connected = Json.parse(host.awaitLine(Json.status("connected"), LINE));
        assertFalse(connected.path("upgrade").asBoolean(true), connected::toString);
        Pair.sent(RelayPair.upgrading(image, tmp, hostRt, "send", code, "hello 0.1.5").run());
        JsonNode text = Json.parse(new String(session.open(nextBinary(python)), StandardCharsets.UTF_8));
        assertEquals("text", text.path("type").asText(), "the next frame after the version is the text, no hints: " + text);
        assertEquals("hello 0.1.5", text.path("body").asText(), text::toString);
        assertEquals(List.of(), ListeningSockets.of(host.process().pid()), "the host listens on nothing");
        assertTrue(host.linesSoFar().stream().noneMatch(Json.status("path")), host.linesSoFar()::toString);
        session.close();
    }

    /** The next binary message, past the relay's status messages. */
    private static byte[] nextBinary(wormhole.testing.TestClient client) {
        for (int i = 0; i < 10; i++) {
            Object m = client.next();
            if (m instanceof byte[] b) {
                return b;
            }
        }
        throw new AssertionError("no binary message among the next ten");
    }
}
