package wormhole.relayserver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import wormhole.relayserver.internal.AdminEndpoint;
import wormhole.relayserver.internal.Router;
import wormhole.relayserver.internal.WsServer;

/**
 * The blind relay: pairs the two sides of a channel over WebSocket ({@code /ws}) and forwards their
 * binary frames unchanged, under the limits of a {@link RelayConfig}. It never decrypts, never looks
 * inside a frame and never logs a code, a token or a payload. The wire protocol is in
 * {@code docs/relay-protocol.md}.
 *
 * <pre>{@code
 * RelayServer relay = new RelayServer(RelayConfig.builder().port(4747).build());
 * relay.start();
 * Runtime.getRuntime().addShutdownHook(new Thread(relay::stop)); // SIGTERM: tell clients, close
 * }</pre>
 */
public final class RelayServer implements AutoCloseable {
    private static final long START_TIMEOUT_MILLIS = 10_000;
    private static final int STOP_TIMEOUT_MILLIS = 2_000;

    private final RelayConfig config;
    private WsServer server;
    private Router router;
    private AdminEndpoint admin;
    private ScheduledExecutorService timer;
    private volatile boolean running;
    private boolean stopped;

    /** @param config where to listen and the limits to enforce */
    public RelayServer(RelayConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Binds the WebSocket port (and the admin port unless it is -1) and starts serving.
     *
     * @throws IOException when a port cannot be bound ({@link SharedStoreException} when the configured
     *         Redis cannot be used)
     * @throws IllegalStateException when already started
     */
    public synchronized void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("the relay was already started");
        }
        WsServer ws = new WsServer(new InetSocketAddress(config.bindAddress(), config.port()), config);
        timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "relay-timer");
            t.setDaemon(true);
            return t;
        });
        Router r;
        try {
            r = new Router(config, timer);
        } catch (SharedStoreException e) {
            timer.shutdownNow();
            throw e;
        }
        ws.route(r, config.tlsContext(), timer);
        ws.setReuseAddr(true);
        ws.setConnectionLostTimeout((int) Math.max(1, config.pingInterval().toSeconds()));
        server = ws;
        router = r;
        ws.start();
        try {
            ws.awaitStarted(START_TIMEOUT_MILLIS);
            if (config.adminPort() >= 0) {
                admin = AdminEndpoint.start(new InetSocketAddress(config.adminBindAddress(), config.adminPort()),
                        r::stats, () -> running, r::sharedFailure, ws, config.tlsContext() != null);
            }
        } catch (IOException e) {
            timer.shutdownNow();
            stopQuietly(ws);
            r.closeStore();
            throw e;
        }
        long every = sweepMillis(config);
        timer.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
        running = true;
        config.log().accept("listening on " + (config.tlsContext() != null ? "wss://" : "") + config.bindAddress() + ":" + port()
                + (admin == null ? "" : ", admin on " + config.adminBindAddress() + ":" + admin.port()));
    }

    /** @return the WebSocket port it listens on (the real one when configured with 0) */
    public synchronized int port() {
        requireStarted();
        int p = server.getPort();
        return p != 0 ? p : server.getAddress().getPort();
    }

    /** @return the admin port, or -1 when the admin endpoint is off */
    public synchronized int adminPort() {
        requireStarted();
        return admin == null ? -1 : admin.port();
    }

    /** @return the counters now */
    public synchronized RelayStats stats() {
        requireStarted();
        return router.stats();
    }

    /**
     * Tells every client the relay is shutting down (an error message, then a going-away close),
     * and stops. Idempotent; safe from a shutdown hook.
     */
    public synchronized void stop() {
        if (server == null || stopped) {
            return;
        }
        stopped = true;
        running = false;
        router.shutdown();
        timer.shutdown(); // lets the pending closes run
        if (admin != null) {
            admin.stop();
        }
        router.closeConnections(STOP_TIMEOUT_MILLIS);
        stopQuietly(server);
        timer.shutdownNow();
        router.closeStore();
        config.log().accept("stopped");
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    private void sweep() {
        try {
            router.sweep();
        } catch (RuntimeException e) {
            config.log().accept("sweep failed: " + e);
        }
    }

    private void requireStarted() {
        if (server == null) {
            throw new IllegalStateException("the relay has not been started");
        }
    }

    private static void stopQuietly(WsServer ws) {
        try {
            ws.stop(STOP_TIMEOUT_MILLIS, "relay shutting down");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sweeps often enough for the shortest clock, at most once a second, at least every 20 ms. */
    private static long sweepMillis(RelayConfig c) {
        Duration shortest = c.inactivityTimeout();
        for (Duration d : new Duration[] {c.resumeGrace(), c.joinTimeout(), c.upgradeTimeout()}) {
            if (d.compareTo(shortest) < 0) {
                shortest = d;
            }
        }
        return Math.max(20, Math.min(1000, shortest.toMillis() / 4));
    }
}
