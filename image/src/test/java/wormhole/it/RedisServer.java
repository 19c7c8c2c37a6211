package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
    /** The password every client must give ({@code requirepass}), or null for none. */
    final String password;
    /** The TLS port (besides the plain one), or -1 when TLS is off. */
    final int tlsPort;

    private RedisServer(Process process, int port, String password, int tlsPort) {
        this.process = process;
        this.port = port;
        this.password = password;
        this.tlsPort = tlsPort;
    }

    /** Starts one in {@code dir}, or skips the test when {@code redis-server} is not installed. */
    static RedisServer start(Path dir) throws IOException, InterruptedException {
        return start(dir, null, null, null);
    }

    /**
     * Starts one in {@code dir} that asks for a password and, with a certificate and key, also serves
     * TLS on a second port (without client certificates); skips the test when {@code redis-server} is
     * not installed.
     *
     * @param password        the {@code requirepass}, or null for none
     * @param certificatePem  the TLS certificate (PEM), or null for no TLS
     * @param keyPem          its key (PEM)
     */
    static RedisServer start(Path dir, String password, Path certificatePem, Path keyPem)
            throws IOException, InterruptedException {
        Path program = List.of(Path.of("/usr/bin/redis-server"), Path.of("/usr/local/bin/redis-server")).stream()
                .filter(Files::isExecutable).findFirst().orElse(null);
        Assumptions.assumeTrue(program != null,
                "redis-server is not installed (apt-get install redis-server): the Redis relay tests skip");
        int port = freePort();
        int tlsPort = certificatePem == null ? -1 : freePort();
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(List.of(program.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        if (password != null) {
            // In a config file rather than on the command line, where ps would show it.
            Path conf = dir.resolve("auth.conf");
            Files.writeString(conf, "requirepass \"" + password + "\"\n");
            command.add(1, conf.toString());
        }
        if (certificatePem != null) {
            // 127.0.0.2 too, a name the certificate (127.0.0.1, localhost) does not cover.
            command.set(command.indexOf("127.0.0.1"), "127.0.0.1 127.0.0.2");
            command.addAll(List.of("--tls-port", Integer.toString(tlsPort), "--tls-cert-file", certificatePem.toString(),
                    "--tls-key-file", keyPem.toString(), "--tls-ca-cert-file", certificatePem.toString(),
                    "--tls-auth-clients", "no"));
        }
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        RedisServer r = new RedisServer(p, port, password, tlsPort);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!r.cli("PING").equals(List.of("PONG"))) {
            if (System.nanoTime() > deadline || !p.isAlive()) {
                r.close();
                String log = Files.readString(dir.resolve("redis.log"));
                Assumptions.assumeFalse(certificatePem != null && (log.contains("not supported") || log.contains("Bad directive")),
                        "this redis-server has no TLS support: the rediss:// tests skip (" + log.strip() + ")");
                throw new AssertionError("redis-server did not start: " + log);
            }
            Thread.sleep(50);
        }
        return r;
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    /** @return the URL relays name with {@code --redis}, with the password when there is one */
    String url() {
        return "redis://" + credentials() + "127.0.0.1:" + port;
    }

    /** @return the {@code rediss://} URL of the TLS port, with the password when there is one */
    String tlsUrl() {
        return "rediss://" + credentials() + "127.0.0.1:" + tlsPort;
    }

    private String credentials() {
        return password == null ? "" : ":" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@";
    }

    /** Runs one command with {@code redis-cli} (installed with the server) on the plain port; returns its output lines. */
    List<String> cli(String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port), "--raw"));
        args.addAll(List.of(command));
        ProcessBuilder b = new ProcessBuilder(args).redirectErrorStream(true);
        if (password != null) {
            b.environment().put("REDISCLI_AUTH", password);
        }
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
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
