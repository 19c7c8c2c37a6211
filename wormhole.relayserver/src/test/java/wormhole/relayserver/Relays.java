package wormhole.relayserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/** Starts relays for tests on 127.0.0.1, port 0, and collects their log lines. */
final class Relays {
    private Relays() {
    }

    static final class Started implements AutoCloseable {
        final RelayServer server;
        final List<String> log;

        Started(RelayServer server, List<String> log) {
            this.server = server;
            this.log = log;
        }

        int port() {
            return server.port();
        }

        /** @return the count of refusals with {@code code} once it reaches {@code expected}, or after 5 s */
        long refusalsReaching(String code, long expected) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            long n = 0;
            while (System.nanoTime() < deadline) {
                n = server.stats().refusals().getOrDefault(code, 0L);
                if (n >= expected) {
                    return n;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return n;
                }
            }
            return n;
        }

        /** @return every refusal so far, by error code (for a failing assertion's message) */
        java.util.Map<String, Long> refusals() {
            return server.stats().refusals();
        }

        @Override
        public void close() {
            server.stop();
        }
    }

    static Started start(UnaryOperator<RelayConfig.Builder> tweak) {
        List<String> log = new CopyOnWriteArrayList<>();
        RelayConfig.Builder b = RelayConfig.builder()
                .bindAddress("127.0.0.1").port(0).adminPort(-1).verbose(true).log(log::add);
        RelayServer server = new RelayServer(tweak.apply(b).build());
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Started(server, log);
    }

    static Started start() {
        return start(b -> b);
    }
}
