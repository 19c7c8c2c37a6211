package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import wormhole.testing.CuttableProxy;

/**
 * Direct channels whose TCP connection is cut: a proxy listens on the host's port at 127.0.0.2 (the
 * code's number is the host's port, so the peer connects to {@code CODE@127.0.0.2}) in front of the
 * host on 127.0.0.1, and cuts every connection it carries at chosen points. The peer reconnects
 * through it, both ends prove they hold the session, and everything arrives once, in order.
 */
@Timeout(300)
class DirectResumeIT {
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    private final Image image = Image.locate();

    /** A host on 127.0.0.1 and a peer that reaches it through a cuttable proxy on 127.0.0.2. */
    private record Cut(Pair pair, CuttableProxy proxy) implements AutoCloseable {
        static Cut connected(Image image, Path tmp, String... extra) throws IOException {
            Pair p = Pair.host(image, tmp, extra);
            CuttableProxy proxy;
            try {
                proxy = CuttableProxy.start(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), p.port()),
                        new InetSocketAddress(InetAddress.getByName("127.0.0.1"), p.port()));
            } catch (IOException | RuntimeException e) {
                p.close();
                throw e;
            }
            p.connectPeer(p.code + "@127.0.0.2", extra);
            p.host.awaitLine(Json.status("connected"), Pair.LINE);
            p.peer.awaitLine(Json.status("connected"), Pair.LINE);
            return new Cut(p, proxy);
        }

        @Override
        public void close() throws IOException {
            pair.close();
            proxy.close();
        }
    }

    private static long count(List<String> lines, String event) {
        return lines.stream().filter(Json.status(event)).count();
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Writes 200 MiB of random bytes. */
    private Path bigFile() throws IOException {
        Path big = tmp.resolve("big.bin");
        try (OutputStream out = Files.newOutputStream(big)) {
            Random random = new Random(200);
            byte[] block = new byte[1 << 20];
            for (int i = 0; i < 200; i++) {
                random.nextBytes(block);
                out.write(block);
            }
        }
        return big;
    }

    @Test
    void aFileOf200MiBFromThePeerCutTwiceOnItsWayUpArrivesByteExact() throws Exception {
        Path big = bigFile();
        try (Cut c = Cut.connected(image, tmp)) {
            Pair p = c.pair();
            CountDownLatch first = c.proxy().cutAfter(CuttableProxy.Direction.UP, 70L << 20);
            Thread second = new Thread(() -> {
                try {
                    if (first.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                        c.proxy().cutAfter(CuttableProxy.Direction.UP, 70L << 20);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "second cut");
            second.setDaemon(true);
            second.start();
            Pair.sent(p.sendFromPeer("--file", big.toString(), "--timeout", "120"));
            JsonNode got = Json.parse(p.host.awaitLine(Json.type("file"), WAIT));
            assertEquals(sha256(big), sha256(Path.of(got.path("saved_to").asText())), "the file arrived byte-exact");
            assertEquals(2, count(p.host.linesSoFar(), "reconnected"), p.host.linesSoFar()::toString);
            assertEquals(3, c.proxy().accepted(), "the first connection and one per cut");
            for (int i = 0; i < 2; i++) {
                p.peer.awaitLine(Json.status("reconnected"), Pair.LINE); // lines are seen as they are read
            }
            assertTrue(p.peer.linesSoFar().stream().noneMatch(Json.status("disconnected").or(Json.type("error"))),
                    p.peer.linesSoFar()::toString);
        }
    }

    @Test
    void aFileOf200MiBCutThreeTimesArrivesByteExactAndLaterTextsInOrder() throws Exception {
        Path big = bigFile();
        try (Cut c = Cut.connected(image, tmp)) {
            Pair p = c.pair();
            List<Long> cutAt = Collections.synchronizedList(new ArrayList<>());
            Thread cutter = new Thread(() -> {
                try {
                    // Three cuts, 40 MiB of the file apart, each in the middle of whatever passes.
                    for (int i = 0; i < 3; i++) {
                        CountDownLatch tripped = c.proxy().cutAfter(CuttableProxy.Direction.DOWN, 40L << 20);
                        if (!tripped.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                            return;
                        }
                        cutAt.add(System.nanoTime());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "cutter");
            cutter.setDaemon(true);
            cutter.start();

            Pair.sent(p.sendFromHost("--no-wait", "--file", big.toString()));
            JsonNode got = Json.parse(p.peer.awaitLine(Json.type("file"), WAIT));
            cutter.join(TimeUnit.SECONDS.toMillis(10));
            assertEquals(3, cutAt.size(), "three cuts during the file");
            assertEquals(200L << 20, got.path("size").asLong(), got::toString);
            assertEquals(sha256(big), sha256(Path.of(got.path("saved_to").asText())), "the file arrived byte-exact");

            for (int i = 0; i < 10; i++) {
                Pair.sent(p.sendFromHost("--no-wait", "after-" + i));
            }
            for (int i = 0; i < 10; i++) {
                assertEquals("after-" + i, Json.parse(p.peer.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());
            }
            Pair.sent(p.sendFromPeer("and back"));
            assertEquals("and back", Json.parse(p.host.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());

            List<String> peerLines = p.peer.linesSoFar();
            List<String> hostLines = p.host.linesSoFar();
            assertEquals(1, peerLines.stream().filter(Json.type("file")).count(), peerLines::toString);
            assertEquals(3, count(peerLines, "reconnecting"), peerLines::toString);
            assertEquals(3, count(peerLines, "reconnected"), peerLines::toString);
            assertEquals(3, count(hostLines, "reconnected"), hostLines::toString);
            assertEquals(4, c.proxy().accepted(), "the first connection and one per cut");
            for (List<String> lines : List.of(peerLines, hostLines)) {
                assertTrue(lines.stream().noneMatch(Json.status("disconnected").or(Json.type("error"))
                        .or(Json.status("error"))), lines::toString);
            }
        }
    }

    @Test
    void aBurstOf100TextsEachWayCutThreeTimesArrivesOnceInOrder() throws Exception {
        int each = 100;
        try (Cut c = Cut.connected(image, tmp)) {
            Pair p = c.pair();
            List<String> failures = Collections.synchronizedList(new ArrayList<>());
            List<Thread> senders = new ArrayList<>();
            for (boolean fromHost : new boolean[] {true, false}) {
                Thread t = new Thread(() -> {
                    for (int i = 0; i < each; i++) {
                        String body = (fromHost ? "h-" : "p-") + i;
                        Image.Result r = fromHost ? p.sendFromHost("--no-wait", body) : p.sendFromPeer("--no-wait", body);
                        if (r.exitCode() != 0) {
                            failures.add(body + ": " + r);
                        }
                    }
                }, "sender");
                t.setDaemon(true);
                t.start();
                senders.add(t);
            }
            List<String> atPeer = new ArrayList<>();
            int cuts = 0;
            while (atPeer.size() < each) {
                atPeer.add(Json.parse(p.peer.awaitLine(Json.type("text"), WAIT)).path("body").asText());
                if (atPeer.size() % 25 == 0 && atPeer.size() < each) {
                    cuts += c.proxy().cut();
                }
            }
            List<String> atHost = new ArrayList<>();
            while (atHost.size() < each) {
                atHost.add(Json.parse(p.host.awaitLine(Json.type("text"), WAIT)).path("body").asText());
            }
            for (Thread t : senders) {
                t.join(WAIT.toMillis());
            }
            assertTrue(failures.isEmpty(), failures::toString);
            assertEquals(3, cuts, "each cut found a live connection");
            List<String> fromHost = new ArrayList<>();
            List<String> fromPeer = new ArrayList<>();
            for (int i = 0; i < each; i++) {
                fromHost.add("h-" + i);
                fromPeer.add("p-" + i);
            }
            assertEquals(fromHost, atPeer, "what the peer received");
            assertEquals(fromPeer, atHost, "what the host received");
            // A duplicate would come before these; they wait for the receipts.
            Pair.sent(p.sendFromHost("last"));
            assertEquals("last", Json.parse(p.peer.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());
            Pair.sent(p.sendFromPeer("last"));
            assertEquals("last", Json.parse(p.host.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());
            assertEquals(3, count(p.peer.linesSoFar(), "reconnected"), p.peer.linesSoFar()::toString);
            assertEquals(3, count(p.host.linesSoFar(), "reconnected"), p.host.linesSoFar()::toString);
        }
    }

    @Test
    void aDropLongerThanTheResumeLimitEndsBothEndsWithExit5() throws Exception {
        try (Cut c = Cut.connected(image, tmp, "--resume-limit", "3")) {
            Pair p = c.pair();
            Pair.sent(p.sendFromHost("before the drop"));
            p.peer.awaitLine(Json.type("text"), Pair.LINE);
            long start = System.nanoTime();
            c.proxy().close(); // cut, and nothing listens at 127.0.0.2 any more
            p.assertEnded("disconnected", 5, "disconnected", 5);
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertTrue(millis >= 2500, "ended after " + millis + " ms, before the 3 s limit");
            assertEquals(1, count(p.peer.linesSoFar(), "reconnecting"), p.peer.linesSoFar()::toString);
            assertEquals(0, count(p.peer.linesSoFar(), "reconnected"), p.peer.linesSoFar()::toString);
        }
    }

    @Test
    void aThirdPartyOnTheHostsPortAfterPairingIsRefusedAndTheChannelIsUnharmed() throws Exception {
        try (Pair p = Pair.connected(image, tmp)) {
            InetSocketAddress hostPort = new InetSocketAddress("127.0.0.1", p.port());
            // A stray, as before pairing.
            try (Socket s = new Socket()) {
                s.connect(hostPort, 5000);
                s.setSoTimeout(15_000);
                s.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals(-1, s.getInputStream().read(), "a stray is dropped without an answer");
            }
            // A well-formed resume request without the session's key: a challenge, then nothing.
            try (Socket s = new Socket()) {
                s.connect(hostPort, 5000);
                s.setSoTimeout(15_000);
                OutputStream out = s.getOutputStream();
                byte[] magic = "AWRESUME".getBytes(StandardCharsets.US_ASCII);
                out.write(ByteBuffer.allocate(4 + 41).putInt(41).put(magic).put((byte) 1).put(new byte[32]).array());
                assertEquals(36, s.getInputStream().readNBytes(36).length, "the challenge");
                out.write(ByteBuffer.allocate(4 + 40).putInt(40).putLong(0).put(new byte[32]).array());
                assertEquals(-1, s.getInputStream().read(), "a wrong proof is closed without an answer");
            }
            Pair.sent(p.sendFromHost("still here"));
            assertEquals("still here", Json.parse(p.peer.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());
            Pair.sent(p.sendFromPeer("me too"));
            assertEquals("me too", Json.parse(p.host.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());
            for (List<String> lines : List.of(p.host.linesSoFar(), p.peer.linesSoFar())) {
                assertEquals(0, count(lines, "reconnecting"), lines::toString);
            }
        }
    }
}
