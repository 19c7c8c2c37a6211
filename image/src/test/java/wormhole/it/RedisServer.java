package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} for a test: on a free loopback port, without persistence, in a
 * folder of the test's, killed at the end. Tests that need one skip with a clear message when the
 * machine has no {@code redis-server} (Debian package {@code redis-server}; {@code .ci/run} installs it).
 */
final class RedisServer implements AutoCloseable {
    private final Process process;
    final int port;

    private RedisServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts one in {@code dir}, or skips the test when {@code redis-server} is not installed. */
    static RedisServer start(Path dir) throws IOException, InterruptedException {
        Path program = List.of(Path.of("/usr/bin/redis-server"), Path.of("/usr/local/bin/redis-server")).stream()
                .filter(Files::isExecutable).findFirst().orElse(null);
        Assumptions.assumeTrue(program != null,
                "redis-server is not installed (apt-get install redis-server): the Redis relay tests skip");
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Files.createDirectories(dir);
        Process p = new ProcessBuilder(program.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        RedisServer r = new RedisServer(p, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!r.cli("PING").equals(List.of("PONG"))) {
            if (System.nanoTime() > deadline || !p.isAlive()) {
                r.close();
                throw new AssertionError("redis-server did not start: " + Files.readString(dir.resolve("redis.log")));
            }
            Thread.sleep(50);
        }
        return r;
    }

    /** @return the URL relays name with {@code --redis} */
    String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Runs one command with {@code redis-cli} (installed with the server); returns its output lines. */
    List<String> cli(String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port), "--raw"));
        args.addAll(List.of(command));
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("redis-cli hung: " + args);
        }
        return out.lines().filter(l -> !l.isEmpty()).toList();
    }

    /** @return every relay key but the instances' heartbeats, with its time to live in ms (-1: none) */
    Map<String, Long> channelKeys() throws IOException, InterruptedException {
        Map<String, Long> out = new TreeMap<>();
        for (String k : cli("KEYS", "aw:*")) {
            if (!k.startsWith("aw:inst:") && !k.equals("aw:live")) {
                List<String> ttl = cli("PTTL", k);
                out.put(k, ttl.isEmpty() ? -2 : Long.parseLong(ttl.get(0)));
            }
        }
        return out;
    }

    /** Kills it at once (SIGKILL), as a crash would, and waits for it to be gone. */
    void kill() {
        process.destroyForcibly();
        try {
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), "redis-server did not die");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }

    /** @return the keys named in a list, for messages */
    static List<String> names(Map<String, Long> keys) {
        return new ArrayList<>(keys.keySet());
    }
}
