package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay under attack, on loopback, as a process of the image at {@code -Xmx128m}: ten healthy
 * channels (real {@code host}/{@code connect}/{@code send} processes from 127.0.0.1) exchange texts
 * and a 5 MiB file each while attackers, each from loopback addresses of their own (127.0.x.y), send
 * 200 pre-join 10 MiB frame headers, hold 2,000 raw TCP sockets that never upgrade, upgrade slowly,
 * scan nameplates 1..999, flood the unpaired buffer, send oversized frames after pairing and never
 * read. Every healthy item must arrive once and in order; the relay must stay alive, accepting and
 * truthful on {@code /health}; {@code /stats} must show each refusal. Every attack is bounded in count
 * and time and stops by itself.
 */
@Timeout(value = 600, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RelayHostileLoadIT {
    private static final int CHANNELS = 10;
    private static final int TEXTS = 3;
    private static final int FILE_BYTES = 5 * 1024 * 1024;
    private static final int UPGRADE_SECONDS = 40; // long enough to open 2,000 connections here (about 20 s)
    /** How far the relay's accept (and its once-a-second sweep) may lag a raw socket's connect. */
    private static final int ACCEPT_SLACK_SECONDS = 10;

    @TempDir
    Path tmp;

    /** What the attackers saw, for the assertions and the printed summary. */
    private final Map<String, Long> seen = new ConcurrentHashMap<>();
    private final List<String> attackFailures = new CopyOnWriteArrayList<>();

    private void count(String what) {
        seen.merge(what, 1L, Long::sum);
    }

    @Test
    void healthyChannelsLoseNothingWhileTheRelayIsAttacked() throws Exception {
        Image image = Image.locate();
        try (RelayProcess relay = RelayProcess.withJavaOptions(image, "-Xmx128m",
                "--upgrade-timeout", Integer.toString(UPGRADE_SECONDS), "--join-timeout", "3")) {
            List<RelayPair> healthy = new ArrayList<>();
            ExecutorService pool = Executors.newCachedThreadPool();
            AtomicBoolean attacking = new AtomicBoolean(true);
            List<String> healthFailures = new CopyOnWriteArrayList<>();
            AtomicLong peakConnections = new AtomicLong();
            AtomicLong slowestHealthMillis = new AtomicLong();
            try {
                for (int i = 0; i < CHANNELS; i++) {
                    healthy.add(RelayPair.connected(image, Files.createDirectories(tmp.resolve("ch" + i)),
                            relay.url(), relay.url()));
                }
                Future<?> watcher = pool.submit(() -> watch(relay, attacking, healthFailures, peakConnections, slowestHealthMillis));
                long start = System.nanoTime();
                List<Future<?>> attacks = new ArrayList<>();
                attacks.add(pool.submit(() -> attack("pre-join headers", () -> preJoinHeaders(relay.port))));
                attacks.add(pool.submit(() -> attack("raw sockets", () -> rawSockets(relay))));
                attacks.add(pool.submit(() -> attack("slow upgrades", () -> slowUpgrades(relay.port))));
                attacks.add(pool.submit(() -> attack("nameplate scan", () -> scan(relay.port))));
                attacks.add(pool.submit(() -> attack("unpaired flood", () -> unpairedFlood(relay.port))));
                attacks.add(pool.submit(() -> attack("oversized after pairing", () -> oversized(relay.port))));
                attacks.add(pool.submit(() -> attack("never reader", () -> neverReader(relay.port))));

                List<Future<?>> traffic = new ArrayList<>();
                for (int i = 0; i < CHANNELS; i++) {
                    int n = i;
                    RelayPair p = healthy.get(i);
                    traffic.add(pool.submit(() -> {
                        exchange(p, n);
                        return null;
                    }));
                }
                for (Future<?> f : traffic) {
                    f.get(300, TimeUnit.SECONDS);
                }
                long healthyMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
                for (Future<?> f : attacks) {
                    f.get(300, TimeUnit.SECONDS);
                }
                long attackMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
                assertEquals(List.of(), attackFailures, "an attack did not behave as the relay's limits say");

                // A channel opened after the attacks works too (no buffer or address left starved).
                try (RelayPair late = RelayPair.connected(image, Files.createDirectories(tmp.resolve("late")),
                        relay.url(), relay.url())) {
                    Pair.sent(late.sendFromHost("after the attacks"));
                    assertEquals("after the attacks", Json.parse(late.peer.awaitLine(Json.type("text"), Pair.LINE))
                            .path("body").asText());
                }
                attacking.set(false);
                watcher.get(30, TimeUnit.SECONDS);
                assertEquals(List.of(), healthFailures, "/health did not answer ok while the relay accepted");
                assertTrue(relay.process.process().isAlive(), "the relay died");
                assertEquals(200, relay.health().statusCode());

                JsonNode stats = relay.stats();
                JsonNode refusals = stats.path("refusals");
                long rss = peakResidentKib(relay.process.process().pid());
                System.out.printf("hostile load: healthy traffic done in %d ms, attacks in %d ms; peak connections %d;"
                        + " slowest /health %d ms; relay peak RSS %d MiB; attackers saw %s; relay stats %s%n", healthyMillis,
                        attackMillis, peakConnections.get(), slowestHealthMillis.get(), rss / 1024, new TreeMap<>(seen), stats);
                assertTrue(refusals.path("message_too_large").asLong() >= 200, stats::toString);
                assertTrue(refusals.path("upgrade_timeout").asLong() >= 2_000 + 3, stats::toString);
                assertTrue(refusals.path("too_many_connections").asLong() >= 1, stats::toString);
                assertTrue(refusals.path("address_throttled").asLong() >= 900, stats::toString);
                assertTrue(refusals.path("unpaired_limit").asLong() >= 1, stats::toString);
                assertTrue(refusals.path("frame_too_large").asLong() >= 1, stats::toString);
                assertTrue(refusals.path("slow_reader").asLong() >= 1, stats::toString);
                assertEquals(0, refusals.path("relay_busy").asLong(), stats::toString);
            } finally {
                attacking.set(false);
                pool.shutdownNow();
                pool.awaitTermination(30, TimeUnit.SECONDS);
                for (RelayPair p : healthy) {
                    p.close();
                }
            }
        }
    }

    /** One healthy channel: texts both ways, then a 5 MiB file, each waiting for the peer's receipt. */
    private void exchange(RelayPair p, int n) throws IOException {
        Path file = tmp.resolve("file-" + n + ".bin");
        byte[] content = new byte[FILE_BYTES];
        new SplittableRandom(n).nextBytes(content);
        Files.write(file, content);
        for (int k = 0; k < TEXTS; k++) {
            Pair.sent(p.sendFromHost("host " + n + " says " + k));
            Pair.sent(p.sendFromPeer("peer " + n + " says " + k));
        }
        Pair.sent(p.sendFromHost("--file", file.toString()));
        for (int k = 0; k < TEXTS; k++) {
            assertEquals("host " + n + " says " + k, Json.parse(p.peer.awaitLine(Json.type("text"), Pair.LINE))
                    .path("body").asText());
            assertEquals("peer " + n + " says " + k, Json.parse(p.host.awaitLine(Json.type("text"), Pair.LINE))
                    .path("body").asText());
        }
        JsonNode got = Json.parse(p.peer.awaitLine(Json.type("file"), Pair.LINE));
        assertArrayEquals(content, Files.readAllBytes(Path.of(got.path("saved_to").asText())), "file of channel " + n);
        // Once, in order, and nothing else: no further item, no error, no drop on either end.
        for (Image.Running end : new Image.Running[] {p.host, p.peer}) {
            List<String> lines = end.linesSoFar();
            long items = lines.stream().filter(Json.type("text").or(Json.type("file"))).count();
            assertEquals(end == p.host ? TEXTS : TEXTS + 1, items, lines::toString);
            assertTrue(lines.stream().noneMatch(Json.type("error").or(Json.status("error"))
                    .or(Json.status("disconnected")).or(Json.status("reconnecting"))), lines::toString);
        }
    }

    private interface Attack {
        void run() throws Exception;
    }

    private Void attack(String name, Attack a) {
        try {
            a.run();
        } catch (Throwable e) {
            attackFailures.add(name + ": " + e);
        }
        return null;
    }

    private void expect(boolean condition, String failure) {
        if (!condition) {
            attackFailures.add(failure);
        }
    }

    /** Checks that the relay has closed every one of {@code conns}, counting them as {@code what}. */
    private void expectAllCut(List<RawWs> conns, String what) {
        for (RawWs ws : conns) {
            boolean cut = ws.closedByRelay();
            count(what + (cut ? ": cut" : ": kept"));
            expect(cut, "a " + what + " was not cut");
        }
    }

    /** 200 connections (100 from each of two addresses) that upgrade and announce a 10 MiB frame before any join. */
    private void preJoinHeaders(int port) throws IOException {
        List<RawWs> conns = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                RawWs ws = RawWs.upgraded("127.0.1." + (1 + i % 2), port);
                conns.add(ws);
                ws.header(2, 10L * 1024 * 1024);
            }
            expectAllCut(conns, "pre-join header");
        } finally {
            conns.forEach(RawWs::close);
        }
    }

    /**
     * 2,000 TCP connections (200 from each of ten addresses, the per-address limit, opened by ten
     * threads) that never upgrade, and one too many; all 2,000 are held at once, then cut at the deadline.
     */
    private void rawSockets(RelayProcess relay) throws Exception {
        List<RawWs> conns = new CopyOnWriteArrayList<>();
        ExecutorService openers = Executors.newFixedThreadPool(10);
        try {
            List<Future<?>> opened = new ArrayList<>();
            for (int a = 1; a <= 10; a++) {
                String from = "127.0.2." + a;
                opened.add(openers.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        conns.add(RawWs.tcp(from, relay.port, 0));
                    }
                    return null;
                }));
            }
            for (Future<?> f : opened) {
                f.get(UPGRADE_SECONDS, TimeUnit.SECONDS);
            }
            RawWs extra = RawWs.tcp("127.0.2.1", relay.port, 0);
            conns.add(extra);
            boolean refused = extra.closedByRelay();
            count(refused ? "over the per-address limit: cut" : "over the per-address limit: kept");
            expect(refused, "a 201st connection from one address was kept");
            long held = relay.stats().path("connections_open").asLong();
            count("raw sockets held at once: " + held);
            expect(held >= 2_000, "only " + held + " connections were open after 2,000 raw sockets were opened");
            // Each socket's deadline runs from when the relay accepted it, which lags the connect by
            // as much as the relay's accept queue is behind (2,000 connects on a busy machine): each
            // is given its deadline plus that slack, counted from its own connect.
            for (RawWs ws : conns) {
                boolean cut = ws.closedByRelayBefore(ws.connectedAt + (UPGRADE_SECONDS + ACCEPT_SLACK_SECONDS) * 1_000_000_000L);
                count("raw socket past the upgrade deadline" + (cut ? ": cut" : ": kept"));
                expect(cut, "a raw socket past the upgrade deadline was not cut");
            }
        } finally {
            openers.shutdownNow();
            conns.forEach(RawWs::close);
        }
    }

    /** Three connections that send their upgrade a byte every 500 ms (it would take them 75 s). */
    private void slowUpgrades(int port) throws IOException, InterruptedException {
        List<RawWs> conns = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                conns.add(RawWs.tcp("127.0.3.1", port, 0));
            }
            byte[] request = RawWs.upgradeRequest(port);
            long deadline = System.nanoTime() + (UPGRADE_SECONDS + 3) * 1_000_000_000L;
            int sent = 0;
            boolean allClosed = false;
            while (!allClosed && System.nanoTime() < deadline && sent < request.length) {
                allClosed = true;
                for (RawWs ws : conns) {
                    try {
                        ws.socket.getOutputStream().write(request[sent]);
                        allClosed = false;
                    } catch (IOException closed) {
                        // the relay cut it
                    }
                }
                sent++;
                Thread.sleep(500);
            }
            expectAllCut(conns, "slow upgrade");
        } finally {
            conns.forEach(RawWs::close);
        }
    }

    /** One address tries nameplates 1..999 as a Python peer. */
    private void scan(int port) throws IOException {
        for (int n = 1; n <= 999; n++) {
            try (RawWs ws = RawWs.upgraded("127.0.4.1", port)) {
                ws.text("{\"action\":\"join\",\"code\":\"" + n + "\",\"role\":\"peer\"}");
                String answer = ws.nextText();
                JsonNode a = answer == null ? null : Json.parse(answer);
                String what = a == null ? "closed" : a.path("type").asText() + ":" + a.path("code").asText(a.path("event").asText());
                count("scan " + what);
                expect(a != null && "error".equals(a.path("type").asText()), "the scanner got " + answer + " for " + n);
            }
        }
    }

    /** One address opens 20 channels without a peer and sends 64 KiB frames into each. */
    private void unpairedFlood(int port) throws IOException {
        List<RawWs> hosts = new ArrayList<>();
        try {
            boolean refused = false;
            for (int c = 0; c < 20 && !refused; c++) {
                RawWs h = RawWs.upgraded("127.0.5.1", port);
                hosts.add(h);
                h.text("{\"action\":\"join\",\"code\":\"flood-unpaired-" + c + "\",\"role\":\"host\"}");
                String waiting = h.nextText();
                expect(waiting != null && waiting.contains("waiting"), "a flooding host was not let in: " + waiting);
                for (int f = 0; f < 4 && !refused; f++) {
                    h.binary(64 * 1024 - 100);
                }
                h.socket.setSoTimeout(200);
                try {
                    String answer = h.nextText();
                    refused = answer != null && answer.contains("unpaired_limit");
                } catch (java.net.SocketTimeoutException stillHeld) {
                    // held: go on with the next channel
                }
            }
            count(refused ? "unpaired flood refused" : "unpaired flood held");
            expect(refused, "one address filled 20 unpaired channels with 5 MiB unrefused");
        } finally {
            hosts.forEach(RawWs::close);
        }
    }

    /** A pair of the attacker's own, whose host sends a frame over the limit. */
    private void oversized(int port) throws IOException {
        try (RawWs host = RawWs.upgraded("127.0.6.1", port); RawWs peer = RawWs.upgraded("127.0.6.1", port)) {
            host.text("{\"action\":\"join\",\"code\":\"oversized-own-pair\",\"role\":\"host\"}");
            expect(String.valueOf(host.nextText()).contains("waiting"), "oversized: no waiting");
            peer.text("{\"action\":\"join\",\"code\":\"oversized-own-pair\",\"role\":\"peer\"}");
            expect(String.valueOf(peer.nextText()).contains("paired"), "oversized: no paired");
            host.header(2, 11L * 1024 * 1024);
            boolean cut = host.closedByRelay();
            String told = peer.nextText();
            count(cut ? "oversized frame cut" : "oversized frame kept");
            expect(cut && told != null && told.contains("frame_too_large"), "oversized frame: cut " + cut + ", peer told " + told);
        }
    }

    /** A pair of the attacker's own whose peer never reads while its host sends 1 MiB frames. */
    private void neverReader(int port) throws IOException {
        try (RawWs host = RawWs.upgraded("127.0.7.1", port); RawWs reader = RawWs.tcp("127.0.7.1", port, 4096)) {
            reader.upgrade();
            host.text("{\"action\":\"join\",\"code\":\"never-reads-pair\",\"role\":\"host\"}");
            expect(String.valueOf(host.nextText()).contains("waiting"), "never reader: no waiting");
            reader.text("{\"action\":\"join\",\"code\":\"never-reads-pair\",\"role\":\"peer\"}");
            boolean ended = false;
            host.socket.setSoTimeout(100);
            for (int i = 0; i < 40 && !ended; i++) {
                try {
                    host.binary(1024 * 1024);
                    String answer = host.nextText();
                    ended = answer == null || answer.contains("slow_reader");
                } catch (java.net.SocketTimeoutException notYet) {
                    // keep sending
                } catch (IOException cut) {
                    ended = true;
                }
            }
            count(ended ? "never reader ended" : "never reader kept");
            expect(ended, "a receiver that never reads was fed 40 MiB without its channel ending");
        }
    }

    /** Polls {@code /health} and the connection count until the attacks are over. */
    private Void watch(RelayProcess relay, AtomicBoolean attacking, List<String> failures, AtomicLong peak,
            AtomicLong slowest) {
        while (attacking.get()) {
            try {
                long asked = System.nanoTime();
                HttpResponse<String> h = relay.health();
                slowest.accumulateAndGet(Duration.ofNanos(System.nanoTime() - asked).toMillis(), Math::max);
                if (h.statusCode() != 200) {
                    failures.add(h.statusCode() + " " + h.body());
                }
                peak.accumulateAndGet(relay.stats().path("connections_open").asLong(), Math::max);
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } catch (IOException | RuntimeException e) {
                failures.add(e.toString());
            }
        }
        return null;
    }

    private static long peakResidentKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
