package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import wormhole.testing.CuttableProxy;

/**
 * The peer's TCP connection to the relay cut (through a proxy in the test) while messages or large
 * files flow: the peer reconnects and resumes, and everything arrives exactly once, in order.
 */
@Timeout(150)
class RelayResumeIT {
    private static final int EACH_WAY = 30;
    private static final int[] CUT_AFTER = {10, 20};
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void cutConnectionsAreResumedWithEveryMessageDeliveredExactlyOnceInOrder() throws Exception {
        Image image = Image.locate();
        try (RelayProcess relay = RelayProcess.start(image);
                CuttableProxy proxy = CuttableProxy.start(relay.port);
                RelayPair p = RelayPair.connected(image, tmp, relay.url(), "ws://127.0.0.1:" + proxy.port())) {
            assertEquals(1, proxy.accepted());
            List<String> failures = Collections.synchronizedList(new ArrayList<>());
            long start = System.nanoTime();
            Thread sender = new Thread(() -> {
                for (int i = 0; i < EACH_WAY; i++) {
                    for (boolean fromHost : new boolean[] {true, false}) {
                        String body = (fromHost ? "h-" : "p-") + i;
                        // --no-wait keeps several messages in flight when the cut comes; the receipts
                        // are checked by the waiting sends of the last exchange.
                        Image.Result r = fromHost ? p.sendFromHost("--no-wait", body) : p.sendFromPeer("--no-wait", body);
                        if (r.exitCode() != 0) {
                            failures.add(body + ": " + r);
                        }
                    }
                }
            }, "sender");
            sender.setDaemon(true);
            sender.start();

            // Cut while the sender keeps going, once the peer has received a given number of messages.
            List<String> atPeer = new ArrayList<>();
            List<Integer> cut = new ArrayList<>();
            List<String> timeline = Collections.synchronizedList(new ArrayList<>());
            while (atPeer.size() < EACH_WAY) {
                JsonNode text = Json.parse(p.peer.awaitLine(Json.type("text"), WAIT));
                atPeer.add(text.path("body").asText());
                timeline.add(Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms: peer got " + atPeer.get(atPeer.size() - 1));
                for (int at : CUT_AFTER) {
                    if (atPeer.size() == at) {
                        cut.add(proxy.cut());
                        timeline.add(Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms: cut, accepted so far "
                                + proxy.accepted());
                    }
                }
            }
            List<String> atHost = new ArrayList<>();
            while (atHost.size() < EACH_WAY) {
                atHost.add(Json.parse(p.host.awaitLine(Json.type("text"), WAIT)).path("body").asText());
            }
            sender.join(WAIT.toMillis());
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertTrue(failures.isEmpty(), failures::toString);
            assertEquals(List.of(1, 1), cut, () -> "each cut found the peer's live connection; timeline " + timeline
                    + "; proxy accepted " + proxy.accepted() + "; peer lines " + p.peer.linesSoFar() + "; host lines "
                    + p.host.linesSoFar());

            List<String> hostBodies = new ArrayList<>();
            List<String> peerBodies = new ArrayList<>();
            for (int i = 0; i < EACH_WAY; i++) {
                hostBodies.add("h-" + i);
                peerBodies.add("p-" + i);
            }
            assertEquals(hostBodies, atPeer, "what the peer received");
            assertEquals(peerBodies, atHost, "what the host received");

            // A duplicate would come before these; these sends wait for the receipts.
            Pair.sent(p.sendFromHost("last"));
            assertEquals("last", Json.parse(p.peer.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());
            Pair.sent(p.sendFromPeer("last"));
            assertEquals("last", Json.parse(p.host.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());

            List<String> peerLines = p.peer.linesSoFar();
            List<String> hostLines = p.host.linesSoFar();
            long reconnecting = peerLines.stream().filter(Json.status("reconnecting")).count();
            long reconnected = peerLines.stream().filter(Json.status("reconnected")).count();
            JsonNode stats = relay.stats();
            System.out.printf("%d messages each way with %d cuts in %d ms; peer: %d reconnecting, %d reconnected; "
                    + "proxy accepted %d connections; relay stats %s%nhost lines: %s%npeer lines: %s%n",
                    EACH_WAY, cut.size(), millis, reconnecting, reconnected, proxy.accepted(), stats,
                    hostLines.stream().filter(l -> !Json.type("text").test(l)).toList(),
                    peerLines.stream().filter(l -> !Json.type("text").test(l)).toList());
            assertEquals(CUT_AFTER.length, reconnecting, peerLines::toString);
            assertEquals(CUT_AFTER.length, reconnected, peerLines::toString);
            assertEquals(1 + CUT_AFTER.length, proxy.accepted());
            assertEquals(CUT_AFTER.length, hostLines.stream().filter(Json.status("peer_disconnected")).count(), hostLines::toString);
            assertEquals(CUT_AFTER.length, hostLines.stream().filter(Json.status("reconnected")).count(), hostLines::toString);
            assertEquals(CUT_AFTER.length, stats.path("resumes").asLong(), stats::toString);
            for (List<String> lines : List.of(peerLines, hostLines)) {
                assertTrue(lines.stream().noneMatch(Json.status("disconnected").or(Json.type("error"))), lines::toString);
            }
            assertTrue(p.host.process().isAlive() && p.peer.process().isAlive());
        }
    }

    @Test
    void aConnectionCutInTheMiddleOfALargeFileEachWayIsResumedAndTheFilesArriveWholeOnce() throws Exception {
        Image image = Image.locate();
        try (RelayProcess relay = RelayProcess.start(image);
                CuttableProxy proxy = CuttableProxy.start(relay.port);
                RelayPair p = RelayPair.connected(image, tmp, relay.url(), "ws://127.0.0.1:" + proxy.port())) {
            long start = System.nanoTime();
            // Relay to peer: cut 1 MiB into the 4 MiB binary message that carries 3 MiB of file.
            CountDownLatch downCut = proxy.cutAfter(CuttableProxy.Direction.DOWN, 1 << 20);
            byte[] down = fileThroughTheCut(p, true, 1);
            assertTrue(downCut.await(0, TimeUnit.SECONDS), "the download was cut");
            // The peer resumed before the rest of the file could reach it.
            assertEquals(1, p.peer.linesSoFar().stream().filter(Json.status("reconnected")).count(), p.peer.linesSoFar()::toString);
            // Peer to relay: the same in the other direction.
            CountDownLatch upCut = proxy.cutAfter(CuttableProxy.Direction.UP, 1 << 20);
            fileThroughTheCut(p, false, 2);
            assertTrue(upCut.await(0, TimeUnit.SECONDS), "the upload was cut");
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();

            Pair.sent(p.sendFromHost("after the files"));
            assertEquals("after the files", Json.parse(p.peer.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());
            Pair.sent(p.sendFromPeer("after the files"));
            assertEquals("after the files", Json.parse(p.host.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());

            List<String> peerLines = p.peer.linesSoFar();
            List<String> hostLines = p.host.linesSoFar();
            JsonNode stats = relay.stats();
            System.out.printf("two %d-byte files, each cut mid-message, in %d ms; proxy accepted %d; relay stats %s%n"
                    + "peer status lines: %s%n", down.length, millis, proxy.accepted(), stats,
                    peerLines.stream().filter(Json.type("status")).toList());
            assertEquals(1, peerLines.stream().filter(Json.type("file")).count(), peerLines::toString);
            assertEquals(1, hostLines.stream().filter(Json.type("file")).count(), hostLines::toString);
            assertEquals(2, peerLines.stream().filter(Json.status("reconnecting")).count(), peerLines::toString);
            assertEquals(2, peerLines.stream().filter(Json.status("reconnected")).count(), peerLines::toString);
            assertEquals(3, proxy.accepted());
            assertEquals(2, stats.path("resumes").asLong(), stats::toString);
        }
    }

    /** Sends 3 MiB of random bytes as a file one way and checks they arrive whole. */
    private byte[] fileThroughTheCut(RelayPair p, boolean fromHost, long seed) throws java.io.IOException {
        byte[] content = new byte[3 << 20];
        new Random(seed).nextBytes(content);
        Path file = tmp.resolve("cut-" + seed + ".bin");
        Files.write(file, content);
        Pair.sent(fromHost ? p.sendFromHost("--file", file.toString()) : p.sendFromPeer("--file", file.toString()));
        Image.Running receiver = fromHost ? p.peer : p.host;
        JsonNode got = Json.parse(receiver.awaitLine(Json.type("file"), WAIT));
        assertEquals(content.length, got.path("size").asLong(), got::toString);
        assertArrayEquals(content, Files.readAllBytes(Path.of(got.path("saved_to").asText())));
        return content;
    }
}
