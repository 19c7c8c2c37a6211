package wormhole.relayserver.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import wormhole.relayserver.RelayStats;

/** Plain-HTTP admin endpoint: {@code GET /health} and {@code GET /stats}, JSON bodies. */
public final class AdminEndpoint {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;

    private AdminEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts the endpoint.
     *
     * @param address where to listen
     * @param stats   the counters to serve
     * @param healthy whether the relay is up (false while it stops)
     * @return the running endpoint
     * @throws IOException when it cannot bind
     */
    public static AdminEndpoint start(InetSocketAddress address, Supplier<RelayStats> stats, BooleanSupplier healthy)
            throws IOException {
        HttpServer server = HttpServer.create(address, 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "relay-admin");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/health", ex -> {
            boolean up = healthy.getAsBoolean();
            reply(ex, up ? 200 : 503, JSON.createObjectNode().put("status", up ? "ok" : "stopping"));
        });
        server.createContext("/stats", ex -> reply(ex, 200, toJson(stats.get())));
        server.start();
        return new AdminEndpoint(server, executor);
    }

    /** @return the port it listens on */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops at once. */
    public void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static ObjectNode toJson(RelayStats s) {
        ObjectNode n = JSON.createObjectNode()
                .put("connections_open", s.connectionsOpen())
                .put("channels_open", s.channelsOpen())
                .put("channels_paired", s.channelsPaired())
                .put("channels_total", s.channelsTotal())
                .put("frames_forwarded", s.framesForwarded())
                .put("bytes_forwarded", s.bytesForwarded())
                .put("resumes", s.resumes())
                .put("buffered_bytes", s.bufferedBytes());
        ObjectNode refusals = n.putObject("refusals");
        s.refusals().forEach(refusals::put);
        return n;
    }

    private static void reply(HttpExchange ex, int status, ObjectNode body) throws IOException {
        try {
            if (!"GET".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = (body.toString() + "\n").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } finally {
            ex.close();
        }
    }
}
