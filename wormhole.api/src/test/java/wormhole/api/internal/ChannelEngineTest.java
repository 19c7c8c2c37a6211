package wormhole.api.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import wormhole.api.ChannelCode;
import wormhole.api.ChannelEvent;
import wormhole.api.EndReason;
import wormhole.api.Feature;
import wormhole.api.Role;
import wormhole.api.WormholeException;
import wormhole.api.WormholeException.Failure;
import wormhole.crypto.Side;

/**
 * The engine against a hand-driven other end over an in-memory link: boundaries of the inline text
 * limit, broken and hostile frames, handshake failures and the version-1 file limit.
 */
@Timeout(10)
class ChannelEngineTest {
    static final ChannelCode CODE = ChannelCode.parse("4242-apple-banana-cherry");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path inbox;
    @TempDir
    Path outbox;

    private LinkPair pair = new LinkPair();
    private final Events events = new Events();
    private ChannelEngine engine;
    private ManualEnd host;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        pair.a.close();
        pair.b.close();
    }

    private EngineSettings settings(Duration handshakeTimeout) {
        return new EngineSettings(inbox, new SecureRandom(), Duration.ofSeconds(5), handshakeTimeout,
                Duration.ofHours(1), EnumSet.allOf(Feature.class), "test-engine", 1024);
    }

    /** Starts the engine as the peer on end a; the hand-driven host sits on end b. */
    private void start(Duration handshakeTimeout) {
        engine = ChannelEngine.peer(() -> pair.a, CODE, settings(handshakeTimeout), events);
        host = new ManualEnd(pair.b, Side.HOST, CODE);
    }

    /** Starts the engine and completes the handshake with a Python-like host (no features). */
    private JsonNode connect() throws Exception {
        start(Duration.ofSeconds(5));
        JsonNode version = JSON.readTree(host.handshake());
        events.next(ChannelEvent.Connected.class);
        return version;
    }

    private static String textJson(String body) throws IOException {
        return JSON.writeValueAsString(JSON.createObjectNode().put("type", "text").put("body", body));
    }

    private List<Path> inboxFiles() throws IOException {
        if (!Files.isDirectory(inbox)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(inbox)) {
            return files.toList();
        }
    }

    // ---- handshake ----

    @Test
    void theVersionMessageNamesRoleVersionAndFeatures() throws Exception {
        JsonNode version = connect();
        assertEquals(1, version.get("version").asInt());
        assertEquals("peer", version.get("role").asText());
        List<String> features = new ArrayList<>();
        version.get("features").forEach(f -> features.add(f.asText()));
        assertTrue(features.containsAll(List.of("close", "ping")), features.toString());
        assertTrue(engine.isConnected());
        assertEquals(Set.of(), engine.sharedFeatures(), "a Python host offers no features");
    }

    @Test
    void aPeerThatSendsItsSpake2MessageAndThenNothingFailsAfterTheHandshakeTimeout() throws Exception {
        long start = System.nanoTime();
        start(Duration.ofMillis(300));
        host.keyExchange();
        events.ended(EndReason.HANDSHAKE_FAILED);
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsed >= 300, "ended after " + elapsed + " ms");
        assertTrue(pair.a.isClosed());
    }

    @Test
    void aGarbageFirstFrameFailsTheHandshake() throws Exception {
        start(Duration.ofSeconds(5));
        byte[] garbage = new byte[33];
        Arrays.fill(garbage, (byte) 0xff);
        garbage[0] = 0x41;
        pair.b.send(garbage);
        events.ended(EndReason.HANDSHAKE_FAILED);
        assertFalse(engine.isConnected());
        assertTrue(pair.a.isClosed());
    }

    @Test
    void endOfFileBeforeAnyFrameFailsTheHandshake() throws Exception {
        start(Duration.ofSeconds(5));
        pair.b.close();
        events.ended(EndReason.HANDSHAKE_FAILED);
    }

    @Test
    void endOfFileAfterTheKeyExchangeFailsTheHandshake() throws Exception {
        start(Duration.ofSeconds(5));
        host.keyExchange();
        pair.b.close();
        events.ended(EndReason.HANDSHAKE_FAILED);
    }

    @Test
    void aVersionOtherThanOneFailsTheHandshake() throws Exception {
        start(Duration.ofSeconds(5));
        host.handshake("{\"version\": 2, \"role\": \"host\"}");
        events.ended(EndReason.HANDSHAKE_FAILED);
    }

    @Test
    void bothEndsClaimingOneRoleFailsTheHandshake() throws Exception {
        start(Duration.ofSeconds(5));
        host.handshake("{\"version\": 1, \"role\": \"peer\"}");
        events.ended(EndReason.HANDSHAKE_FAILED);
    }

    @Test
    void sendingBeforeTheHandshakeIsNotConnected() throws Exception {
        start(Duration.ofSeconds(5));
        WormholeException e = assertThrows(WormholeException.class, () -> engine.sendText("early"));
        assertEquals(Failure.NOT_CONNECTED, e.failure());
    }

    // ---- text ----

    @Test
    void textOfExactly1024BytesIsInline() throws Exception {
        connect();
        String text = "x".repeat(1024);
        host.send(textJson(text));
        assertEquals(text, events.next(ChannelEvent.TextReceived.class).body());
    }

    @Test
    void textOf1025BytesIsSavedToAPrivateFile() throws Exception {
        connect();
        String text = "x".repeat(1025);
        host.send(textJson(text));
        ChannelEvent.TextSaved saved = events.next(ChannelEvent.TextSaved.class);
        assertEquals(1025, saved.size());
        assertEquals(text, Files.readString(saved.savedTo()));
        assertEquals(inbox, saved.savedTo().getParent());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(saved.savedTo())));
    }

    @Test
    void theInlineLimitCountsUtf8BytesNotCharacters() throws Exception {
        connect();
        String twoByte = "é".repeat(512); // 512 chars, 1024 bytes
        String oneOver = "a" + twoByte; // 513 chars, 1025 bytes
        String emojiAtEnd = "a".repeat(1020) + "😀"; // 1022 chars, 1024 bytes
        String emojiOver = "a".repeat(1021) + "😀"; // 1023 chars, 1025 bytes
        host.send(textJson(twoByte));
        host.send(textJson(oneOver));
        host.send(textJson(emojiAtEnd));
        host.send(textJson(emojiOver));
        assertEquals(twoByte, events.next(ChannelEvent.TextReceived.class).body());
        ChannelEvent.TextSaved saved = events.next(ChannelEvent.TextSaved.class);
        assertEquals(1025, saved.size());
        assertArrayEquals(oneOver.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(saved.savedTo()));
        assertEquals(emojiAtEnd, events.next(ChannelEvent.TextReceived.class).body());
        ChannelEvent.TextSaved savedEmoji = events.next(ChannelEvent.TextSaved.class);
        assertEquals(1025, savedEmoji.size());
        assertEquals(emojiOver, Files.readString(savedEmoji.savedTo(), StandardCharsets.UTF_8));
    }

    @Test
    void unknownMessageTypesAreIgnored() throws Exception {
        connect();
        host.send("{\"type\": \"emoji\", \"body\": \"x\"}");
        host.send("{\"type\": \"ping\"}");
        host.send("{\"version\": 1, \"role\": \"host\"}");
        host.send(textJson("after"));
        assertEquals("after", events.next(ChannelEvent.TextReceived.class).body());
        assertTrue(engine.isConnected());
    }

    // ---- broken frames ----

    @Test
    void aFrameThatFailsToDecryptEndsWithError() throws Exception {
        connect();
        byte[] junk = new byte[48];
        new SecureRandom().nextBytes(junk);
        host.sendRaw(junk);
        events.ended(EndReason.ERROR);
        assertTrue(pair.a.isClosed());
    }

    @Test
    void aTamperedFrameEndsWithErrorAndDeliversNothing() throws Exception {
        connect();
        byte[] frame = host.seal(textJson("pay alice 10"));
        frame[5] ^= 0x01;
        host.sendRaw(frame);
        events.ended(EndReason.ERROR);
        assertTrue(events.pending().isEmpty(), events.pending().toString());
    }

    @Test
    void aReplayedFrameEndsWithError() throws Exception {
        connect();
        byte[] frame = host.seal(textJson("once"));
        host.sendRaw(frame);
        host.sendRaw(frame);
        assertEquals("once", events.next(ChannelEvent.TextReceived.class).body());
        events.ended(EndReason.ERROR);
    }

    @Test
    void anUndecodableMessageEndsWithError() throws Exception {
        connect();
        host.send("this is not JSON {");
        events.ended(EndReason.ERROR);
    }

    @Test
    void aTextWithoutBodyEndsWithError() throws Exception {
        connect();
        host.send("{\"type\": \"text\"}");
        events.ended(EndReason.ERROR);
    }

    @Test
    void endOfFileAfterConnectingIsDisconnected() throws Exception {
        connect();
        pair.b.close();
        events.ended(EndReason.DISCONNECTED);
        assertFalse(engine.isConnected());
    }

    // ---- files ----

    @Test
    void aFileWhoseDeclaredSizeDiffersIsRefusedAndNothingIsSaved() throws Exception {
        connect();
        host.send("{\"type\": \"file\", \"name\": \"config.json\", \"size\": 9, \"body\": \"eyJhIjoxfQo=\"}");
        events.ended(EndReason.ERROR);
        assertEquals(List.of(), inboxFiles());
    }

    @Test
    void aFileNameThatClimbsOutIsSavedInsideTheInbox() throws Exception {
        connect();
        host.send("{\"type\": \"file\", \"name\": \"../../evil.sh\", \"size\": 8, \"body\": \"eyJhIjoxfQo=\"}");
        ChannelEvent.FileReceived file = events.next(ChannelEvent.FileReceived.class);
        assertEquals("evil.sh", file.name());
        assertEquals(inbox.resolve("evil.sh"), file.savedTo());
        assertEquals("{\"a\":1}\n", Files.readString(file.savedTo()));
        assertEquals(List.of(file.savedTo()), inboxFiles(), "no temporary file is left behind");
    }

    @Test
    void aFileOverTheVersion1LimitIsRefusedAndTheChannelStaysConnected() throws Exception {
        pair = new LinkPair(4096);
        connect();
        Path big = Files.write(outbox.resolve("big.bin"), new byte[4000]);
        WormholeException e = assertThrows(WormholeException.class, () -> engine.sendFile(big, "big.bin"));
        assertEquals(Failure.TOO_LARGE, e.failure());
        assertTrue(engine.isConnected());

        byte[] content = new byte[2000];
        new SecureRandom().nextBytes(content);
        Path fits = Files.write(outbox.resolve("fits.bin"), content);
        engine.sendFile(fits, "fits.bin");
        JsonNode file = JSON.readTree(host.receive());
        assertEquals("file", file.get("type").asText());
        assertEquals("fits.bin", file.get("name").asText());
        assertEquals(2000, file.get("size").asLong());
        assertArrayEquals(content, Base64.getDecoder().decode(file.get("body").asText()));
        assertTrue(events.pending().isEmpty(), events.pending().toString());
    }

    @Test
    void aMissingFileIsUnreadable() throws Exception {
        connect();
        WormholeException e = assertThrows(WormholeException.class,
                () -> engine.sendFile(outbox.resolve("absent"), "absent"));
        assertEquals(Failure.UNREADABLE, e.failure());
        assertTrue(engine.isConnected());
    }

    // ---- closing ----

    @Test
    void closeSaysGoodbyeWhenBothEndsKnowTheCloseFeature() throws Exception {
        start(Duration.ofSeconds(5));
        host.handshake("{\"version\": 1, \"role\": \"host\", \"features\": [\"close\"]}");
        events.next(ChannelEvent.Connected.class);
        engine.close();
        events.ended(EndReason.CLOSED);
        assertEquals("close", JSON.readTree(host.receive()).get("type").asText());
        assertThrows(EOFException.class, pair.b::receive);
    }

    @Test
    void closeToAVersion1EndSendsNoGoodbye() throws Exception {
        connect();
        engine.close();
        events.ended(EndReason.CLOSED);
        assertThrows(EOFException.class, pair.b::receive);
    }

    @Test
    void aGoodbyeFromTheOtherEndIsPeerClosed() throws Exception {
        start(Duration.ofSeconds(5));
        host.handshake("{\"version\": 1, \"role\": \"host\", \"features\": [\"close\"]}");
        events.next(ChannelEvent.Connected.class);
        host.send("{\"type\": \"close\"}");
        events.ended(EndReason.PEER_CLOSED);
        WormholeException e = assertThrows(WormholeException.class, () -> engine.sendText("late"));
        assertEquals(Failure.CLOSED, e.failure());
    }

    @Test
    void aHostClosedBeforeItsPeerArrivesStopsWaiting() throws Exception {
        java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        wormhole.api.spi.HostedLink hosted = new wormhole.api.spi.HostedLink() {
            @Override
            public String nameplate() {
                return "4242";
            }

            @Override
            public wormhole.api.spi.FrameLink awaitPeer(Duration timeout) throws IOException {
                try {
                    closed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("the rendezvous was closed");
            }

            @Override
            public void close() {
                closed.countDown();
            }
        };
        engine = ChannelEngine.host(hosted, CODE, settings(Duration.ofSeconds(5)), events);
        assertEquals(Role.HOST, engine.role());
        engine.close();
        events.ended(EndReason.CLOSED);
        assertEquals(0, closed.getCount(), "the rendezvous was closed");
        assertTrue(events.pending().isEmpty(), events.pending().toString());
    }

    @Test
    void aSecondFileOfTheSameNameIsReportedUnderItsOwnNameAndSavedBesideTheFirst() throws Exception {
        connect();
        String file = "{\"type\": \"file\", \"name\": \"config.json\", \"size\": 8, \"body\": \"eyJhIjoxfQo=\"}";
        host.send(file);
        host.send(file);
        ChannelEvent.FileReceived first = events.next(ChannelEvent.FileReceived.class);
        ChannelEvent.FileReceived second = events.next(ChannelEvent.FileReceived.class);
        assertEquals(inbox.resolve("config.json"), first.savedTo());
        assertEquals(inbox.resolve("config-1.json"), second.savedTo());
        // FileReceived.name is "the name the sender gave, reduced to a safe base name".
        assertEquals("config.json", second.name());
    }

    @Test
    void aTextOverTheFrameLimitIsRefusedAndTheChannelStaysConnected() throws Exception {
        pair = new LinkPair(4096);
        connect();
        WormholeException e = assertThrows(WormholeException.class, () -> engine.sendText("y".repeat(5000)));
        assertEquals(Failure.TOO_LARGE, e.failure());
        assertTrue(engine.isConnected());
        engine.sendText("short");
        assertEquals("short", JSON.readTree(host.receive()).get("body").asText());
    }

    @Test
    void aWrongCodeFailsTheHandshakeAndLeavesNoVerifier() throws Exception {
        start(Duration.ofSeconds(5));
        ManualEnd wrong = new ManualEnd(pair.b, Side.HOST, ChannelCode.parse("4242-apple-banana-cherries"));
        wrong.keyExchange();
        wrong.send("{\"version\": 1, \"role\": \"host\"}");
        events.ended(EndReason.HANDSHAKE_FAILED);
        assertFalse(engine.isConnected());
        // Channel.verifier(): "the verifier string once connected"; this channel never was.
        assertEquals(java.util.Optional.empty(), engine.verifier());
    }

    /** The other end hangs up as soon as it reads the goodbye, as a Java or well-behaved end does. */
    private Thread hangUpOnGoodbye() {
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

    @Test
    void aCloseStaysClosedWhenTheOtherEndHangsUpRightAfterTheGoodbye() throws Exception {
        start(Duration.ofSeconds(5));
        host.handshake("{\"version\": 1, \"role\": \"host\", \"features\": [\"close\"]}");
        events.next(ChannelEvent.Connected.class);
        Thread hangUp = hangUpOnGoodbye();
        pair.a.delaySendReturn(300);
        engine.close();
        hangUp.join(5_000);
        events.ended(EndReason.CLOSED);
    }

    @Test
    void anInactivityTimeoutStaysATimeoutWhenTheOtherEndHangsUpRightAfterTheGoodbye() throws Exception {
        engine = ChannelEngine.peer(() -> pair.a, CODE, new EngineSettings(inbox, new SecureRandom(),
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(300), EnumSet.allOf(Feature.class),
                "test-engine", 1024), events);
        host = new ManualEnd(pair.b, Side.HOST, CODE);
        host.handshake("{\"version\": 1, \"role\": \"host\", \"features\": [\"close\"]}");
        events.next(ChannelEvent.Connected.class);
        pair.a.delaySendReturn(300);
        Thread hangUp = hangUpOnGoodbye();
        events.ended(EndReason.TIMEOUT);
        hangUp.join(5_000);
    }
}
