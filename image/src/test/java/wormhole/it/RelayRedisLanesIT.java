package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static wormhole.it.RedisRelays.WAIT;
import static wormhole.it.RedisRelays.awaitNoKeys;
import static wormhole.it.RedisRelays.expected;
import static wormhole.it.RedisRelays.pair;
import static wormhole.it.RedisRelays.relay;
import static wormhole.it.RedisRelays.textsWhile;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import wormhole.testing.CuttableProxy;

/**
 * Lanes of relay instances on Redis (docs/relay-redis.md): a pair whose two sides one instance holds
 * moves its frames in memory, with few Redis writes; its sides may still move to other instances
 * (a clean drop, or a kill -9 of the instance) and a split pair may become local, and every item
 * arrives once, in order. Real {@code redis-server}, real relay processes and real clients.
 */
@Timeout(300)
class RelayRedisLanesIT {
    @TempDir
    Path tmp;

    @Test
    void aLocalPairMovesManyFramesWithFewRedisWritesAndItsSenderHearsThemDurable() throws Exception {
        Image image = Image.locate();
        try (RedisServer redis = RedisServer.start(tmp.resolve("redis"));
                RelayProcess a = relay(image, redis);
                RedisRelays.Probes pair = pair(a.port, a.port)) {
            WsProbe host = pair.host();
            WsProbe peer = pair.peer();
            long scriptsBefore = scriptCalls(redis);
            int count = 3000;
            for (int i = 0; i < count; i++) {
                host.send(("m-" + i).getBytes(StandardCharsets.UTF_8));
            }
            for (int i = 0; i < count; i++) {
                byte[] frame;
                try {
                    frame = peer.nextBinary(20);
                } catch (AssertionError e) {
                    throw new AssertionError("frame " + i + ": " + e.getMessage() + "; the peer got " + peer.texts
                            + "; the host got " + host.texts, e);
                }
                assertEquals("m-" + i, new String(frame, StandardCharsets.UTF_8));
                if ((i + 1) % 100 == 0) {
                    peer.send("{\"action\":\"ack\",\"received\":" + (i + 1) + "}");
                }
            }
            // Everything consumed: within a sweep the relay makes it durable and tells the sender.
            host.awaitText("\"received\":" + count + ",", 20);
            long scripts = scriptCalls(redis) - scriptsBefore;
            System.out.printf("%d frames through a lane: %d Redis scripts%n", count, scripts);
            JsonNode stats = a.stats();
            assertTrue(stats.path("lane_frames").asLong() >= count, stats::toString);
            assertEquals(1, stats.path("lanes_opened").asLong(), stats::toString);
            // Through Redis, every frame is a script (and its confirmation another): here a
            // checkpoint per 256 frames consumed, and the sweeps' clocks.
            assertTrue(scripts < count / 20, () -> scripts + " scripts for " + count + " frames");

            for (int i = 0; i < 300; i++) {
                peer.send(("b-" + i).getBytes(StandardCharsets.UTF_8));
            }
            for (int i = 0; i < 300; i++) {
                assertEquals("b-" + i, new String(host.nextBinary(20), StandardCharsets.UTF_8));
            }
            host.send("{\"action\":\"ack\",\"received\":300}");
            peer.send("{\"action\":\"close\"}");
            host.awaitText("\"final\":true", 20);
            awaitNoKeys(redis);
        }
    }

    @Test
    void aLaneKeepsTheChannelsRateLimit() throws Exception {
        Image image = Image.locate();
        try (RedisServer redis = RedisServer.start(tmp.resolve("redis"));
                RelayProcess a = RelayProcess.start(image, "--redis", redis.url(), "--frames-per-minute", "50");
                RedisRelays.Probes pair = pair(a.port, a.port)) {
            WsProbe host = pair.host();
            WsProbe peer = pair.peer();
            for (int i = 0; i < 30; i++) {
                host.send(("h-" + i).getBytes(StandardCharsets.UTF_8));
                peer.send(("p-" + i).getBytes(StandardCharsets.UTF_8));
            }
            // 60 frames of both sides together in one window: the 51st ends the channel, and the
            // lanes' grants from the window make it neither earlier nor later.
            assertEquals(50, binariesUntil(host, "rate_limited") + binariesUntil(peer, "rate_limited"),
                    "frames forwarded before the limit");
            awaitNoKeys(redis);
        }
    }

    @Test
    void aLocalPairWhoseSideMovesToAnotherInstanceMidTransferLosesNothing() throws Exception {
        Image image = Image.locate();
        try (RedisServer redis = RedisServer.start(tmp.resolve("redis"));
                RelayProcess a = relay(image, redis);
                RelayProcess b = relay(image, redis);
                CuttableProxy toPeer = CuttableProxy.start(a.port);
                RelayPair p = RelayPair.connected(image, tmp, a.url(), "ws://127.0.0.1:" + toPeer.port())) {
            List<String> got = textsWhile(p, 40, new int[] {10}, () -> {
                // The peer's connection drops cleanly; its resume reaches the other instance.
                toPeer.retarget(b.port);
                toPeer.cut();
            });
            assertEquals(expected(40), got, "every message once, in order");
            afterwards(p);
            JsonNode stats = a.stats();
            assertTrue(stats.path("lanes_opened").asLong() >= 1, stats::toString);
            assertTrue(stats.path("lane_handoffs").asLong() >= 1, stats::toString);
            assertTrue(b.stats().path("resumes").asLong() >= 1);
        }
    }

    @Test
    void aLocalPairWhoseInstanceIsKilledLosesNothingAndBecomesLocalAgainElsewhere() throws Exception {
        Image image = Image.locate();
        try (RedisServer redis = RedisServer.start(tmp.resolve("redis"));
                RelayProcess a = relay(image, redis);
                RelayProcess b = relay(image, redis);
                CuttableProxy balancer = CuttableProxy.start(a.port);
                RelayPair p = RelayPair.connected(image, tmp, "ws://127.0.0.1:" + balancer.port(),
                        "ws://127.0.0.1:" + balancer.port())) {
            List<String> got = textsWhile(p, 40, new int[] {10}, () -> {
                balancer.retarget(b.port);
                a.process.process().destroyForcibly(); // kill -9 with the pair local
            });
            assertEquals(expected(40), got, "every message once, in order");
            afterwards(p);
            assertTrue(b.stats().path("resumes").asLong() >= 2);
            awaitLane(p, b); // both sides at b: a lane again
            assertTrue(b.stats().path("lane_frames").asLong() > 0);
        }
    }

    @Test
    void aSplitPairBecomesLocalAndTheLocalInstanceKilledAfterAHandOffLosesNothing() throws Exception {
        Image image = Image.locate();
        try (RedisServer redis = RedisServer.start(tmp.resolve("redis"));
                RelayProcess a = relay(image, redis);
                RelayProcess b = relay(image, redis);
                RelayProcess c = relay(image, redis);
                CuttableProxy toHost = CuttableProxy.start(a.port);
                CuttableProxy toPeer = CuttableProxy.start(b.port);
                RelayPair p = RelayPair.connected(image, tmp, "ws://127.0.0.1:" + toHost.port(),
                        "ws://127.0.0.1:" + toPeer.port())) {
            Pair.sent(p.sendFromHost("split"));
            assertEquals("split", Json.parse(p.peer.awaitLine(Json.type("text"), WAIT)).path("body").asText());
            assertEquals(0, a.stats().path("lanes_opened").asLong());
            // The peer moves to the host's instance: the pair becomes local there.
            toPeer.retarget(a.port);
            toPeer.cut();
            p.peer.awaitLine(Json.status("reconnected"), WAIT);
            awaitLane(p, a);
            List<String> got = textsWhile(p, 60, new int[] {20, 40}, () -> {
                // Then the peer moves away again (a hand-over), and the host's instance is killed.
                toPeer.retarget(c.port);
                toPeer.cut();
            }, () -> {
                toHost.retarget(c.port);
                a.process.process().destroyForcibly();
            });
            assertEquals(expected(60), got, "every message once, in order");
            JsonNode stats = c.stats();
            assertTrue(stats.path("resumes").asLong() >= 2, stats::toString);
            afterwards(p);
        }
    }

    @Test
    void everyFrameArrivesOnceInOrderThroughHandOversAndKills() throws Exception {
        Image image = Image.locate();
        try (RedisServer redis = RedisServer.start(tmp.resolve("redis"));
                RelayProcess a = relay(image, redis);
                RelayProcess b = relay(image, redis);
                RelayProcess c = relay(image, redis);
                RelayProcess d = relay(image, redis)) {
            Side[] pair = Side.pair(a.port);
            Side host = pair[0];
            Side peer = pair[1];
            // Local at a: 300 sent, 200 read; the peer drops with 100 in a's memory, and resumes at b.
            host.send(300);
            peer.read(200);
            peer = peer.resumeAt(b.port);
            // Split (host at a, peer at b): then a is killed; the host resumes at b, where the pair
            // becomes local once the peer has consumed what came through Redis.
            host.send(300);
            peer.read(350);
            a.process.process().destroyForcibly();
            host = host.resumeAt(b.port);
            host.send(300);
            peer.read(350);
            // Once everything is consumed, the next frame opens a lane.
            awaitLane(host, peer, b, "b");
            host.send(300);
            peer.read(250);
            assertTrue(b.stats().path("lane_frames").asLong() >= 250, () -> "frames through the lane at b");
            // Local at b with 50 unread: the peer moves to c (a hand-over), then b is killed with the pair split.
            peer = peer.resumeAt(c.port);
            host.send(100);
            peer.read(100);
            b.process.process().destroyForcibly();
            host = host.resumeAt(c.port);
            host.send(200);
            peer.read((int) (host.next - peer.got));
            // Local at c: 200 sent, 120 read (100 confirmed), and c is killed. The peer resumes first,
            // having more than Redis holds for good; then the host, which resends from there.
            awaitLane(host, peer, c, "c");
            host.send(200);
            peer.read(120);
            c.process.process().destroyForcibly();
            peer = peer.resumeAt(d.port);
            host = host.resumeAt(d.port);
            host.send(100);
            peer.read((int) (host.next - peer.got)); // everything sent arrives, once, in order
            host.probe.send("{\"action\":\"close\"}");
            peer.probe.awaitText("\"final\":true", 20);
            awaitNoKeys(redis);
        }
    }

    @Test
    void anInstanceStoppingHandsItsLanesOverAndBothSidesResumeElsewhere() throws Exception {
        Image image = Image.locate();
        try (RedisServer redis = RedisServer.start(tmp.resolve("redis"));
                RelayProcess a = relay(image, redis);
                RelayProcess b = relay(image, redis)) {
            Side[] pair = Side.pair(a.port);
            Side host = pair[0];
            Side peer = pair[1];
            host.send(300);
            peer.read(120);
            a.terminate(); // SIGTERM: its lane's 180 unread frames go into Redis, and it closes with 1001
            assertEquals(0, a.process.waitFor(Duration.ofSeconds(30)), "a clean stop");
            assertTrue(peer.probe.texts.stream().noneMatch(t -> t.contains("\"error\"")), peer.probe.texts::toString);
            peer = peer.resumeAt(b.port);
            host = host.resumeAt(b.port);
            host.send(100);
            peer.read((int) (host.next - peer.got)); // everything sent arrives, once, in order
            host.probe.send("{\"action\":\"close\"}");
            peer.probe.awaitText("\"final\":true", 20);
            awaitNoKeys(redis);
        }
    }

    /**
     * Sends one frame at a time from the host until {@code relay} has opened a lane, which it does at
     * a frame once everything before it was consumed and confirmed. Each round waits until the relay
     * has told the host of the peer's confirmation, so the next frame finds it applied: a loop that
     * only counted rounds sent each frame before the last confirmation landed when the machine was
     * quick, and never saw a lane.
     */
    private static void awaitLane(Side host, Side peer, RelayProcess relay, String name) throws Exception {
        for (int i = 0; i < 50 && relay.stats().path("lanes_opened").asLong() == 0; i++) {
            host.send(1);
            peer.read(1);
            peer.confirm();
            host.probe.awaitText("\"received\":" + peer.got + ",", 20);
        }
        assertTrue(relay.stats().path("lanes_opened").asLong() >= 1, "a lane at " + name);
    }

    /**
     * A side of a channel spoken in the bare protocol: the host sends {@code m-0}, {@code m-1}, ...;
     * the peer checks that it gets exactly those, in order, and confirms every 50. After a resume the
     * host resends from what the relay says it holds, which must not be below what it was told
     * before (a real client forgets those).
     */
    private static final class Side {
        final WsProbe probe;
        final String token;
        long next;
        long got;

        private Side(WsProbe probe, String token) {
            this.probe = probe;
            this.token = token;
        }

        /** @return a host and a peer joined to one channel at {@code port}, each with its resume token */
        static Side[] pair(int port) throws Exception {
            RedisRelays.Probes pair = RedisRelays.pair(port, port);
            return new Side[] {new Side(pair.host(), token(pair.host())), new Side(pair.peer(), token(pair.peer()))};
        }

        private static String token(WsProbe probe) {
            return probe.texts.stream().filter(t -> t.contains("welcome")).map(t -> Json.parse(t).path("token").asText())
                    .findFirst().orElseThrow();
        }

        void send(int count) {
            for (int i = 0; i < count; i++) {
                probe.send(("m-" + next++).getBytes(StandardCharsets.UTF_8));
            }
        }

        void read(int count) throws Exception {
            for (int i = 0; i < count; i++) {
                byte[] frame = probe.nextBinary(30);
                assertEquals("m-" + got, new String(frame, StandardCharsets.UTF_8), "once, in order");
                got++;
                if (got % 50 == 0) {
                    probe.send("{\"action\":\"ack\",\"received\":" + got + "}");
                }
            }
        }

        void confirm() {
            probe.send("{\"action\":\"ack\",\"received\":" + got + "}");
        }

        /** @return the highest {@code received} the relay announced on this connection */
        long toldReceived() {
            long max = 0;
            for (String t : probe.texts) {
                if (t.contains("\"received\"")) {
                    max = Math.max(max, Json.parse(t).path("received").asLong());
                }
            }
            return max;
        }

        /** Drops this connection (cleanly, or it is dead already) and resumes at {@code port}. */
        Side resumeAt(int port) throws Exception {
            long told = toldReceived();
            probe.close();
            WsProbe p = WsProbe.open(port);
            p.send("{\"action\":\"resume\",\"token\":\"" + token + "\",\"received\":" + got + "}");
            JsonNode resumed = Json.parse(p.awaitText("resumed", 20));
            Side s = new Side(p, token);
            s.got = got;
            long holds = resumed.path("received").asLong();
            assertTrue(holds >= told && holds <= next, () -> "the relay holds " + holds + " frames; it told "
                    + told + " before, and " + next + " were sent");
            s.next = holds;
            s.send((int) (next - holds)); // resend what the relay lacks
            return s;
        }
    }

    /**
     * Sends texts from the host until {@code relay} has opened a lane: one opens at a frame once
     * everything before it was consumed and confirmed, and each round trip gives the clients time to
     * confirm (within a second of consuming).
     */
    private static void awaitLane(RelayPair p, RelayProcess relay) throws Exception {
        for (int i = 0; i < 30 && relay.stats().path("lanes_opened").asLong() == 0; i++) {
            Pair.sent(p.sendFromHost("settle-" + i));
            assertEquals("settle-" + i, Json.parse(p.peer.awaitLine(Json.type("text"), WAIT)).path("body").asText());
        }
        JsonNode stats = relay.stats();
        assertTrue(stats.path("lanes_opened").asLong() >= 1, () -> "no lane: " + stats);
    }

    /** The channel still works both ways: an 8 MiB file and a text back. */
    private void afterwards(RelayPair p) throws Exception {
        byte[] content = new byte[8 << 20];
        new Random(7).nextBytes(content);
        Path file = Files.write(tmp.resolve("after-" + System.nanoTime() + ".bin"), content);
        Pair.sent(p.sendFromHost("--file", file.toString()));
        JsonNode got = Json.parse(p.peer.awaitLine(Json.type("file"), WAIT));
        assertArrayEquals(content, Files.readAllBytes(Path.of(got.path("saved_to").asText())));
        Pair.sent(p.sendFromPeer("back"));
        assertEquals("back", Json.parse(p.host.awaitLine(Json.type("text"), WAIT)).path("body").asText());
    }

    /** @return how many binary messages the probe receives before a text with {@code marker} */
    private static int binariesUntil(WsProbe probe, String marker) throws InterruptedException {
        int n = 0;
        while (true) {
            WsProbe.Message m = probe.next(20);
            if (m.binary() != null) {
                n++;
            } else if (m.text().contains(marker)) {
                return n;
            }
        }
    }

    /** @return how many scripts Redis ran so far ({@code EVALSHA} and {@code EVAL}) */
    private static long scriptCalls(RedisServer redis) throws Exception {
        long n = 0;
        for (String line : redis.cli("INFO", "commandstats")) {
            if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
                String calls = line.substring(line.indexOf("calls=") + 6);
                n += Long.parseLong(calls.substring(0, calls.indexOf(',')));
            }
        }
        return n;
    }
}
