package wormhole.api.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import wormhole.api.ChannelCode;
import wormhole.api.ChannelEvent;
import wormhole.api.Feature;
import wormhole.crypto.Side;
import wormhole.testing.Events;

/**
 * A real engine as the peer on one end of an in-memory link, and a hand-driven host on the other
 * ({@link ManualEnd}), so that a test can send exactly the frames it wants.
 */
@Timeout(10)
abstract class EngineHarness {
    static final ChannelCode CODE = ChannelCode.parse("4242-apple-banana-cherry");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path inbox;
    @TempDir
    Path outbox;

    LinkPair pair = new LinkPair();
    final Events events = new Events();
    ChannelEngine engine;
    ManualEnd host;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        pair.a.close();
        pair.b.close();
    }

    EngineSettings settings(Duration handshakeTimeout) {
        return new EngineSettings(inbox, new SecureRandom(), Duration.ofSeconds(5), handshakeTimeout,
                Duration.ofHours(1), EnumSet.allOf(Feature.class), "test-engine", 1024);
    }

    /** Starts the engine as the peer on end a; the hand-driven host sits on end b. */
    void start(Duration handshakeTimeout) {
        engine = ChannelEngine.peer(() -> pair.a, CODE, settings(handshakeTimeout), UpgradeSettings.NONE, events);
        host = new ManualEnd(pair.b, Side.HOST, CODE);
    }

    /** Starts the engine and completes the handshake with a Python-like host (no features). */
    JsonNode connect() throws Exception {
        start(Duration.ofSeconds(5));
        JsonNode version = JSON.readTree(host.handshake());
        events.next(ChannelEvent.Connected.class);
        return version;
    }

    static String textJson(String body) throws IOException {
        return JSON.writeValueAsString(JSON.createObjectNode().put("type", "text").put("body", body));
    }

    List<Path> inboxFiles() throws IOException {
        if (!Files.isDirectory(inbox)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(inbox)) {
            return files.toList();
        }
    }

    /** The other end hangs up as soon as it reads the goodbye, as a Java or well-behaved end does. */
    Thread hangUpOnGoodbye() {
        Thread t = new Thread(() -> {
            try {
                host.receive();
            } catch (Exception e) {
                // the test's assertions tell what happened
            }
            pair.b.close();
        }, "hang-up");
        t.start();
        return t;
    }
}
