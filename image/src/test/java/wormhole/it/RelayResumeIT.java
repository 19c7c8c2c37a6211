package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peer's TCP connection to the relay cut twice while messages flow both ways: the peer
 * reconnects and resumes, and every message arrives exactly once, in order.
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
                        Image.Result r = fromHost ? p.sendFromHost(body) : p.sendFromPeer(body);
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
            while (atPeer.size() < EACH_WAY) {
                JsonNode text = Json.parse(p.peer.awaitLine(Json.type("text"), WAIT));
                atPeer.add(text.path("body").asText());
                for (int at : CUT_AFTER) {
                    if (atPeer.size() == at) {
                        cut.add(proxy.cut());
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
            assertEquals(List.of(1, 1), cut, "each cut found the peer's live connection");

            List<String> hostBodies = new ArrayList<>();
            List<String> peerBodies = new ArrayList<>();
            for (int i = 0; i < EACH_WAY; i++) {
                hostBodies.add("h-" + i);
                peerBodies.add("p-" + i);
            }
            assertEquals(hostBodies, atPeer, "what the peer received");
            assertEquals(peerBodies, atHost, "what the host received");

            // A duplicate would come before these.
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
}
