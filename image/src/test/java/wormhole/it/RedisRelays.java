package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * What the tests of relays on Redis share: relay processes with the pacing lifted, pairs of bare
 * protocol clients, texts sent while something happens to the relays, and the check that ended
 * channels leave no key behind.
 */
final class RedisRelays {
    static final Duration WAIT = Duration.ofSeconds(90);
    /** Limits lifted so that large transfers are not paced to the default 50 MiB a minute. */
    private static final List<String> FAST = List.of("--frames-per-minute", "100000", "--mib-per-minute", "100000",
            "--max-channels-per-address", "1000", "--max-connections-per-address", "2000");

    private RedisRelays() {
    }

    /** An action in the middle of a transfer. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    /** A host and a peer joined to one channel in the bare protocol. */
    record Probes(WsProbe host, WsProbe peer, String nameplate) implements AutoCloseable {
        @Override
        public void close() {
            host.close();
            peer.close();
        }
    }

    /** @return a relay process on {@code redis}, pacing lifted, with {@code extra} arguments */
    static RelayProcess relay(Image image, RedisServer redis, String... extra) {
        List<String> args = new ArrayList<>(List.of("--redis", redis.url()));
        args.addAll(FAST);
        args.addAll(List.of(extra));
        return RelayProcess.start(image, args.toArray(String[]::new));
    }

    /** @return a host joined at {@code hostPort} and a peer paired with it at {@code peerPort} */
    static Probes pair(int hostPort, int peerPort) throws InterruptedException {
        WsProbe host = WsProbe.open(hostPort);
        WsProbe peer = WsProbe.open(peerPort);
        try {
            host.send("{\"action\":\"join\",\"role\":\"host\",\"protocol\":2}");
            String nameplate = Json.parse(host.awaitText("welcome", 20)).path("nameplate").asText();
            peer.send(peerJoin(nameplate));
            peer.awaitText("paired", 20);
            host.awaitText("paired", 20);
            return new Probes(host, peer, nameplate);
        } catch (InterruptedException | RuntimeException | AssertionError e) {
            host.close();
            peer.close();
            throw e;
        }
    }

    /** @return a peer's join message for {@code code} */
    static String peerJoin(String code) {
        return "{\"action\":\"join\",\"role\":\"peer\",\"code\":\"" + code + "\",\"protocol\":2}";
    }

    /**
     * The host sends {@code count} texts {@code m-0}, {@code m-1}, ... with {@code send --no-wait}
     * while the peer reads them; after {@code at[i]} arrived, {@code then[i]} runs.
     *
     * @return the texts the peer got, in the order it got them
     */
    static List<String> textsWhile(RelayPair p, int count, int[] at, Step... then) throws Exception {
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        Thread sender = new Thread(() -> {
            for (int i = 0; i < count; i++) {
                Image.Result r = p.sendFromHost("--no-wait", "m-" + i);
                if (r.exitCode() != 0) {
                    failures.add("m-" + i + ": " + r);
                }
            }
        }, "sender");
        sender.setDaemon(true);
        sender.start();
        List<String> atPeer = new ArrayList<>();
        while (atPeer.size() < count) {
            atPeer.add(Json.parse(p.peer.awaitLine(Json.type("text"), WAIT)).path("body").asText());
            for (int i = 0; i < at.length; i++) {
                if (atPeer.size() == at[i]) {
                    then[i].run();
                }
            }
        }
        sender.join(WAIT.toMillis());
        assertTrue(failures.isEmpty(), failures::toString);
        return atPeer;
    }

    /** @return {@code m-0} to {@code m-(count-1)} */
    static List<String> expected(int count) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add("m-" + i);
        }
        return out;
    }

    /** Waits until Redis holds no key of any channel: ended channels leave nothing behind. */
    static void awaitNoKeys(RedisServer redis) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<String, Long> left = redis.channelKeys();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            left = redis.channelKeys();
        }
        assertEquals(Map.of(), left, "keys of ended channels");
    }
}
