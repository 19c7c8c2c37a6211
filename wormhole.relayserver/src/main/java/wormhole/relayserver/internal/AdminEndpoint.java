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
import javax.net.SocketFactory;
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
     * Starts the endpoint. {@code /health} answers 200 only while the relay runs, takes connections
     * and its WebSocket listener really upgrades one (probed, at most once a second).
     *
     * @param address  where to listen
     * @param stats    the counters to serve
     * @param running  whether the relay is up (false while it stops)
     * @param shared   why the shared store (Redis) is unusable, or null while it is fine or there is none
     * @param ws       the WebSocket server, for its own limits
     * @param tls      whether the listener speaks TLS ({@code wss})
     * @return the running endpoint
     * @throws IOException when it cannot bind
     */
    public static AdminEndpoint start(InetSocketAddress address, Supplier<RelayStats> stats, BooleanSupplier running,
            Supplier<String> shared, WsServer ws, boolean tls) throws IOException {
        SocketFactory sockets = tls ? ListenerProbe.tlsSockets() : SocketFactory.getDefault();
        InetSocketAddress listening = ws.getAddress();
        ListenerProbe probe = new ListenerProbe(listening.getAddress().getHostAddress(), ws.getPort() != 0
                ? ws.getPort() : listening.getPort(), sockets);
        HttpServer server = HttpServer.create(address, 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "relay-admin");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/health", ex -> {
            if (!running.getAsBoolean()) {
                reply(ex, 503, JSON.createObjectNode().put("status", "stopping"));
            } else if (shared.get() != null) {
                reply(ex, 503, JSON.createObjectNode().put("status", "unavailable").put("detail", shared.get()));
            } else if (!ws.accepting()) {
                reply(ex, 503, JSON.createObjectNode().put("status", "full")
                        .put("detail", "the relay has as many connections open as it takes"));
            } else {
                String failure = probe.failure();
                reply(ex, failure == null ? 200 : 503, failure == null ? JSON.createObjectNode().put("status", "ok")
                        : JSON.createObjectNode().put("status", "unavailable").put("detail", failure));
            }
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
                .put("buffered_bytes", s.bufferedBytes())
                .put("lane_frames", s.laneFrames())
                .put("lanes_opened", s.lanesOpened())
                .put("lane_handoffs", s.laneHandoffs());
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
