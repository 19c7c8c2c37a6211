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
