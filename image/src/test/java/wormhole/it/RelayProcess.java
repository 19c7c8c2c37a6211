package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * A real relay, {@code agent-wormhole relay} of the image, on 127.0.0.1 with ports the system picks;
 * its ports come from the JSON line it prints first.
 */
final class RelayProcess implements AutoCloseable {
    private static final Duration START = Duration.ofSeconds(20);

    final Image.Running process;
    final int port;
    final int adminPort;

    private RelayProcess(Image.Running process, int port, int adminPort) {
        this.process = process;
        this.port = port;
        this.adminPort = adminPort;
    }

    /** Starts a relay at its default limits, plus any extra options. */
    static RelayProcess start(Image image, String... extra) {
        return withJavaOptions(image, null, extra);
    }

    /** Starts a relay with one environment variable set (such as {@code AGENT_WORMHOLE_RELAY_REDIS}). */
    static RelayProcess withEnv(Image image, String name, String value, String... extra) {
        return started(image.command(args(extra)).env(name, value).start());
    }

    private static String[] args(String... extra) {
        return Stream.concat(Stream.of("relay", "--bind", "127.0.0.1", "--port", "0", "--admin-port", "0"),
                Stream.of(extra)).toArray(String[]::new);
    }

    /** Starts a relay with these JVM options ({@code AGENT_WORMHOLE_JAVA_OPTS}, such as a heap size). */
    static RelayProcess withJavaOptions(Image image, String javaOptions, String... extra) {
        return started(image.command(args(extra)).env("AGENT_WORMHOLE_JAVA_OPTS", javaOptions).start());
    }

    private static RelayProcess started(Image.Running running) {
        try {
            JsonNode started = Json.parse(running.awaitLine(Json.status("relay_started"), START));
            return new RelayProcess(running, started.path("port").asInt(), started.path("admin_port").asInt());
        } catch (RuntimeException | AssertionError e) {
            running.close();
            throw e;
        }
    }

    /** @return the URL clients name with {@code --relay} */
    String url() {
        return "ws://127.0.0.1:" + port;
    }

    /** Sends SIGTERM with kill(1), so its stdout stays readable (Process.destroy would close our end). */
    void terminate() {
        Image.Result kill = Image.program(Path.of("/bin/kill"), "-TERM", Long.toString(process.process().pid())).run();
        assertEquals(0, kill.exitCode(), kill::toString);
    }

    /**
     * @return the status and body of {@code /health}; it may take a few seconds (the relay probes its
     *         own listener, up to 5 s to connect and 5 s to hear the upgrade)
     */
    HttpResponse<String> health() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/health"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** @return the admin endpoint's {@code /stats} counters */
    JsonNode stats() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/stats"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r::body);
        return Json.parse(r.body());
    }

    @Override
    public void close() {
        process.close();
    }
}
