package wormhole.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The real Python reference, agent-wormhole 0.1.5, from {@code ../shared/reference} beside the
 * repository (the folder is named by the system property {@value #SHARED_PROPERTY}). A test that
 * needs it calls {@link #locate()} or {@link #locateWithRelay()}, which skip the test, saying how to
 * set the reference up, when it is not there.
 */
final class Reference {
    static final String SHARED_PROPERTY = "agent.wormhole.shared";
    private static final String SETUP = "set it up with: ../shared/reference/setup.sh --relay (as root)";
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    /** Where 0.1.5 keeps its channel folders: fixed, whatever TMPDIR says (fs.py DEFAULT_BASE). */
    private static final Path CHANNELS = Path.of("/tmp/agent-wormhole");

    private final Path home;

    private Reference(Path home) {
        this.home = home;
    }

    /** @return the reference CLI; skips the test when it or its Python packages are missing */
    static Reference locate() {
        Path shared = Path.of(System.getProperty(SHARED_PROPERTY, "../../shared")).toAbsolutePath().normalize();
        Path home = shared.resolve("reference");
        assumeTrue(Files.isExecutable(home.resolve("bin/agent-wormhole-py")),
                "the Python reference is not at " + home + "; " + SETUP);
        assumeTrue(Files.isExecutable(PYTHON), "no " + PYTHON + " for the Python reference; " + SETUP);
        Image.Result help = Image.program(home.resolve("bin/agent-wormhole-py"), "--help").timeout(Duration.ofSeconds(30)).run();
        assumeTrue(help.exitCode() == 0, "the Python reference does not run (missing Debian packages?); " + SETUP
                + "\n" + help);
        return new Reference(home);
    }

    /** @return the reference CLI and its relay; skips the test when redis-server or the relay's packages are missing */
    static Reference locateWithRelay() {
        Reference r = locate();
        assumeTrue(redisServer().isPresent(), "no redis-server for the reference relay; " + SETUP);
        Image.Result imports = Image.program(PYTHON, "-c", "import fastapi, uvicorn, redis").timeout(Duration.ofSeconds(30)).run();
        assumeTrue(imports.exitCode() == 0, "the reference relay's Python packages are missing; " + SETUP + "\n" + imports);
        return r;
    }

    private static Optional<Path> redisServer() {
        return Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
                .map(dir -> Path.of(dir, "redis-server")).filter(Files::isExecutable).findFirst();
    }

    /** A run of the reference CLI with its own TMPDIR. */
    Image.Command cli(Path tmp, String... args) {
        return Image.program(home.resolve("bin/agent-wormhole-py"), args).env("TMPDIR", tmp.toString())
                .env("AGENT_WORMHOLE_RELAY_URL", null);
    }

    /** Deletes what a reference end left of a channel (it keeps it under /tmp/agent-wormhole/CODE). */
    static void deleteChannel(String code) throws IOException {
        if (code == null || !code.matches("[a-z]+-[a-z]+-[a-z]+") || !Files.exists(CHANNELS.resolve(code))) {
            return;
        }
        Path dir = CHANNELS.resolve(code);
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The reference relay (FastAPI + Redis) and the redis-server it uses, each on a free loopback port. */
    final class Relay implements AutoCloseable {
        private final Image.Running redis;
        private final Image.Running relay;
        final int port;

        private Relay(Path tmp) throws IOException, InterruptedException {
            int redisPort = freePort();
            redis = Image.program(redisServer().orElseThrow(), "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", tmp.toString()).start();
            Image.Running started = null;
            try {
                awaitPort(redisPort);
                port = freePort();
                started = Image.program(home.resolve("bin/agent-wormhole-relay-py"), Integer.toString(port),
                        "redis://127.0.0.1:" + redisPort + "/0").start();
                awaitHealth(port);
            } catch (IOException | InterruptedException | RuntimeException | Error e) {
                if (started != null) {
                    started.close();
                }
                redis.close();
                throw e;
            }
            relay = started;
        }

        String url() {
            return "ws://127.0.0.1:" + port;
        }

        @Override
        public void close() {
            relay.close();
            redis.close();
        }
    }

    Relay startRelay(Path tmp) throws IOException, InterruptedException {
        return new Relay(tmp);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitPort(int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("redis-server did not listen on " + port + " within 20 s", e);
                }
                Thread.sleep(50);
            }
        }
    }

    private static void awaitHealth(int port) throws InterruptedException {
        // HTTP/1.1: uvicorn answers the JDK's default h2c upgrade with an error, not the page.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"redis\":\"connected\"")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the reference relay did not become healthy on " + port + " within 30 s");
            }
            Thread.sleep(100);
        }
    }
}
