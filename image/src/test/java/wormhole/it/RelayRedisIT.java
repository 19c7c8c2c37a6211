package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static wormhole.it.RedisRelays.WAIT;
import static wormhole.it.RedisRelays.awaitNoKeys;
import static wormhole.it.RedisRelays.expected;
import static wormhole.it.RedisRelays.pair;
import static wormhole.it.RedisRelays.peerJoin;
import static wormhole.it.RedisRelays.relay;
import static wormhole.it.RedisRelays.textsWhile;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import wormhole.testing.CuttableProxy;

/**
 * Several real relay processes ({@code agent-wormhole relay --redis}) sharing their channels
 * through a real {@code redis-server}: pairs split across instances, many channels, an instance
 * killed mid-transfer, global limits, Redis going away, and what Redis keeps after the channels end.
 * Skips when the machine has no {@code redis-server}.
 */
@Timeout(300)
class RelayRedisIT {
    @TempDir
    Path tmp;

    @Test
    void aPairSplitAcrossTwoInstancesExchangesTextsA50MiBFileAndADirectoryAndLeavesNoKeyBehind() throws Exception {
        Image image = Image.locate();
        try (RedisServer redis = RedisServer.start(tmp.resolve("redis"));
                RelayProcess a = relay(image, redis);
                RelayProcess b = relay(image, redis);
                RelayPair p = RelayPair.connected(image, tmp, a.url(), b.url())) {
            for (int i = 0; i < 3; i++) {
                Pair.sent(p.sendFromHost("h-" + i));
                assertEquals("h-" + i, Json.parse(p.peer.awaitLine(Json.type("text"), WAIT)).path("body").asText());
                Pair.sent(p.sendFromPeer("p-" + i));
                assertEquals("p-" + i, Json.parse(p.host.awaitLine(Json.type("text"), WAIT)).path("body").asText());
            }
            byte[] content = new byte[50 << 20];
            new Random(11).nextBytes(content);
            Path file = Files.write(tmp.resolve("fifty.bin"), content);
            long start = System.nanoTime();
            Pair.sent(p.sendFromHost("--file", file.toString()));
            JsonNode got = Json.parse(p.peer.awaitLine(Json.type("file"), WAIT));
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertArrayEquals(content, Files.readAllBytes(Path.of(got.path("saved_to").asText())));
            System.out.printf("50 MiB across two instances in %d ms%n", millis);

            Path dir = Files.createDirectories(tmp.resolve("project/src"));
            Files.writeString(dir.resolve("App.java"), "class App {}");
            Files.writeString(dir.getParent().resolve("README"), "read me");
            Pair.sent(p.sendFromPeer("--file", dir.getParent().toString()));
            JsonNode tree = Json.parse(p.host.awaitLine(Json.type("file"), WAIT));
            assertEquals("directory", tree.path("kind").asText(), tree::toString);
            Path saved = Path.of(tree.path("saved_to").asText());
            assertEquals("class App {}", Files.readString(saved.resolve("src/App.java")));
            assertEquals("read me", Files.readString(saved.resolve("README")));

            Image.Result closed = RelayPair.command(image, tmp, p.hostRuntime, "close", p.code).run();
            assertEquals(0, closed.exitCode(), closed::toString);
            p.peer.awaitLine(Json.status("closed"), WAIT);
            // Right after the end: whatever is left expires soon; a little later nothing is left.
            Map<String, Long> left = redis.channelKeys();
            for (Map.Entry<String, Long> k : left.entrySet()) {
                assertTrue(k.getValue() > 0 && k.getValue() <= 3_600_000, () -> "a key without a short TTL: " + left);
            }
            awaitNoKeys(redis);
        }
    }

    @Test
    void twoHundredChannelsOverThreeInstancesAllComplete() throws Exception {
        Image image = Image.locate();
        try (RedisServer redis = RedisServer.start(tmp.resolve("redis"));
                RelayProcess a = relay(image, redis);
                RelayProcess b = relay(image, redis);
                RelayProcess c = relay(image, redis)) {
            int[] ports = {a.port, b.port, c.port};
            ExecutorService pool = Executors.newFixedThreadPool(25);
            try {
                List<Future<String>> runs = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    int n = i;
                    runs.add(pool.submit(() -> channel(n, ports[n % 3], ports[(n + 1 + n / 3) % 3])));
                }
                List<String> failures = new ArrayList<>();
                for (Future<String> f : runs) {
                    String r = f.get();
                    if (r != null) {
                        failures.add(r);
                    }
                }
                assertEquals(List.of(), failures);
            } finally {
                pool.shutdownNow();
            }
            long total = 0;
            for (RelayProcess r : List.of(a, b, c)) {
                total += r.stats().path("channels_total").asLong();
                assertTrue(r.stats().path("channels_total").asLong() > 0, "every instance opened channels");
            }
            assertEquals(200, total);
            awaitNoKeys(redis);
        }
    }

    /** One channel: host at one port, peer at another, two frames one way and one back, then both close. */
    private static String channel(int n, int hostPort, int peerPort) {
        try (RedisRelays.Probes pair = pair(hostPort, peerPort)) {
            WsProbe host = pair.host();
            WsProbe peer = pair.peer();
            for (int i = 0; i < 2; i++) {
                host.send(("c" + n + "-" + i).getBytes(StandardCharsets.UTF_8));
            }
            for (int i = 0; i < 2; i++) {
                String got = new String(peer.nextBinary(20), StandardCharsets.UTF_8);
                if (!got.equals("c" + n + "-" + i)) {
                    return "channel " + n + ": got " + got;
                }
            }
            peer.send("{\"action\":\"ack\",\"received\":2}");
            peer.send("back".getBytes(StandardCharsets.UTF_8));
            if (!"back".equals(new String(host.nextBinary(20), StandardCharsets.UTF_8))) {
                return "channel " + n + ": wrong frame back";
            }
            host.send("{\"action\":\"ack\",\"received\":1}");
            host.send("{\"action\":\"close\"}");
            try {
                peer.awaitText("\"final\":true", 20);
            } catch (AssertionError e) {
                return "channel " + n + " (host at " + hostPort + ", peer at " + peerPort + "): no final; the peer got "
                        + peer.texts + "; the host got " + host.texts;
            }
            return null;
        } catch (Exception | AssertionError e) {
            return "channel " + n + ": " + e;
        }
    }

    @Test
    void anInstanceKilledMidTransferLosesNothing() throws Exception {
        Image image = Image.locate();
        try (RedisServer redis = RedisServer.start(tmp.resolve("redis"));
                RelayProcess a = relay(image, redis);
                RelayProcess b = relay(image, redis);
                CuttableProxy balancer = CuttableProxy.start(a.port);
                RelayPair p = RelayPair.connected(image, tmp, "ws://127.0.0.1:" + balancer.port(), b.url())) {
            List<String> atPeer = textsWhile(p, 40, new int[] {10}, () -> {
                // kill -9 of the host's instance; the balancer sends the host's resume to the other one.
                balancer.retarget(b.port);
                a.process.process().destroyForcibly();
            });
            assertEquals(expected(40), atPeer, "every message once, in order");
            byte[] content = new byte[8 << 20];
            new Random(5).nextBytes(content);
            Path file = Files.write(tmp.resolve("after.bin"), content);
            Pair.sent(p.sendFromHost("--file", file.toString()));
            JsonNode got = Json.parse(p.peer.awaitLine(Json.type("file"), WAIT));
            assertArrayEquals(content, Files.readAllBytes(Path.of(got.path("saved_to").asText())));
            Pair.sent(p.sendFromPeer("back"));
            assertEquals("back", Json.parse(p.host.awaitLine(Json.type("text"), WAIT)).path("body").asText());
            assertTrue(p.host.linesSoFar().stream().anyMatch(Json.status("reconnected")), p.host.linesSoFar()::toString);
            assertTrue(b.stats().path("resumes").asLong() >= 1);
        }
    }

    @Test
    void aClientGivenSeveralUrlsResumesAtTheNextWhenItsInstanceIsKilled() throws Exception {
        Image image = Image.locate();
        try (RedisServer redis = RedisServer.start(tmp.resolve("redis"));
                RelayProcess a = relay(image, redis);
                RelayProcess b = relay(image, redis);
                RelayProcess c = relay(image, redis);
                RelayPair p = RelayPair.connected(image, tmp, a.url() + "," + c.url(), b.url())) {
            Pair.sent(p.sendFromHost("before"));
            assertEquals("before", Json.parse(p.peer.awaitLine(Json.type("text"), WAIT)).path("body").asText());
            // The host started at a random one of its two URLs: kill -9 that instance.
            RelayProcess hosting = a.stats().path("channels_open").asLong() == 1 ? a : c;
            RelayProcess other = hosting == a ? c : a;
            hosting.process.process().destroyForcibly();
            p.host.awaitLine(Json.status("reconnected"), WAIT);
            Pair.sent(p.sendFromHost("after"));
            assertEquals("after", Json.parse(p.peer.awaitLine(Json.type("text"), WAIT)).path("body").asText());
            Pair.sent(p.sendFromPeer("back"));
            assertEquals("back", Json.parse(p.host.awaitLine(Json.type("text"), WAIT)).path("body").asText());
            assertEquals(1, other.stats().path("resumes").asLong(), "the host resumed at its other URL");
        }
    }

    @Test
    void aThirdPartyIsRefusedAtAnotherInstanceAndANameplateScanIsThrottledAcrossInstances() throws Exception {
        Image image = Image.locate();
        try (RedisServer redis = RedisServer.start(tmp.resolve("redis"));
                RelayProcess a = relay(image, redis);
                RelayProcess b = relay(image, redis);
                RelayProcess c = relay(image, redis);
                RedisRelays.Probes pair = pair(a.port, b.port)) {
            String nameplate = pair.nameplate();
            try (WsProbe third = WsProbe.open(c.port)) {
                third.send(peerJoin(nameplate));
                assertEquals("channel_full", Json.parse(third.nextText(20)).path("code").asText());
            }
            // One failed join so far; the default allows 10 per address per minute, counted in Redis.
            int[] ports = {a.port, b.port, c.port};
            List<String> codes = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                try (WsProbe scan = WsProbe.open(ports[i % 3])) {
                    scan.send(peerJoin(String.valueOf(900_000 + i)));
                    codes.add(Json.parse(scan.nextText(20)).path("code").asText());
                }
            }
            List<String> expected = new ArrayList<>(Collections.nCopies(9, "no_such_channel"));
            expected.addAll(Collections.nCopies(6, "address_throttled"));
            assertEquals(expected, codes, "nine more failures reach the limit of ten, whichever instance saw them");
        }
    }

    @Test
    void redisGoingAwayEndsChannelsWithAClearErrorAndMakesHealthUnhealthy() throws Exception {
        Image image = Image.locate();
        try (RedisServer redis = RedisServer.start(tmp.resolve("redis"));
                RelayProcess a = relay(image, redis);
                RelayProcess b = relay(image, redis);
                RelayPair p = RelayPair.connected(image, tmp, a.url(), b.url())) {
            Pair.sent(p.sendFromHost("before"));
            assertEquals("before", Json.parse(p.peer.awaitLine(Json.type("text"), WAIT)).path("body").asText());
            assertEquals(200, a.health().statusCode());
            redis.kill();
            for (Image.Running end : List.of(p.host, p.peer)) {
                String last = end.awaitLine(l -> l.contains("relay_unavailable") || l.contains("shared store"), WAIT);
                assertTrue(last.contains("shared store"), last);
            }
            for (RelayProcess r : List.of(a, b)) {
                HttpResponse<String> h = r.health();
                assertEquals(503, h.statusCode(), h::body);
                assertTrue(h.body().contains("unavailable") && h.body().contains("redis"), h::body);
            }
        }
    }
}
