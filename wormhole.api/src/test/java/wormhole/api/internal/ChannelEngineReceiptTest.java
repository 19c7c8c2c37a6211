package wormhole.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import wormhole.api.ChannelEvent;
import wormhole.api.Delivery;
import wormhole.api.EndReason;
import wormhole.api.Feature;
import wormhole.api.WormholeException;
import wormhole.api.WormholeException.Failure;
import wormhole.crypto.Side;
import wormhole.testing.BlockingCall;

/** Receipts ({@code ack}), keepalives ({@code ping}) and what a version-1 peer is spared. */
class ChannelEngineReceiptTest extends EngineHarness {
    private static final String ALL = "{\"version\":1,\"role\":\"host\",\"features\":[\"ack\",\"close\",\"ping\",\"stream\"]}";

    private void connectWith(String version, Duration inactivity) throws Exception {
        engine = ChannelEngine.peer(() -> pair.a, CODE, new EngineSettings(inbox, new SecureRandom(),
                Duration.ofSeconds(5), Duration.ofSeconds(5), inactivity, EnumSet.allOf(Feature.class),
                "test-engine", 1024), UpgradeSettings.NONE, events);
        host = new ManualEnd(pair.b, Side.HOST, CODE);
        host.handshake(version);
        events.next(ChannelEvent.Connected.class);
    }

    private CompletableFuture<Object> async(Callable call) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(call.call());
            } catch (Exception e) {
                f.complete(e);
            }
        }, "sender");
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** A send that may throw. */
    @FunctionalInterface
    private interface Callable {
        Object call() throws Exception;
    }

    @Test
    void aShownTextIsAcknowledgedWithItsId() throws Exception {
        connectWith(ALL, Duration.ofHours(1));
        host.send("{\"type\":\"text\",\"id\":7,\"body\":\"hi\"}");
        assertEquals("hi", events.next(ChannelEvent.TextReceived.class).body());
        JsonNode ack = JSON.readTree(host.receive());
        assertEquals("ack", ack.path("type").asText());
        assertEquals(7, ack.path("id").asLong());
    }

    @Test
    void sendReturnsConfirmedOnceThePeerAcknowledges() throws Exception {
        connectWith(ALL, Duration.ofHours(1));
        BlockingCall<Delivery> sent = BlockingCall.start("sender", () -> engine.sendText("hello", Duration.ofSeconds(5)));
        JsonNode text = JSON.readTree(host.receive());
        assertEquals("hello", text.path("body").asText());
        long id = text.path("id").asLong();
        assertTrue(id > 0);
        sent.awaitBlockedIn("await"); // the send waits for the receipt
        host.send("{\"type\":\"ack\",\"id\":" + id + "}");
        assertEquals(Delivery.CONFIRMED, sent.result());
    }

    @Test
    void aNackIsRefused() throws Exception {
        connectWith(ALL, Duration.ofHours(1));
        CompletableFuture<Object> sent = async(() -> engine.sendText("hello", Duration.ofSeconds(5)));
        long id = JSON.readTree(host.receive()).path("id").asLong();
        host.send("{\"type\":\"nack\",\"id\":" + id + ",\"error\":\"refused\",\"detail\":\"no thanks\"}");
        WormholeException e = (WormholeException) sent.get(5, TimeUnit.SECONDS);
        assertEquals(Failure.REFUSED, e.failure());
        assertTrue(e.getMessage().contains("no thanks"));
    }

    @Test
    void aMissingReceiptTimesOutAndTheChannelStaysOpen() throws Exception {
        connectWith(ALL, Duration.ofHours(1));
        long t0 = System.nanoTime();
        WormholeException e = assertThrows(WormholeException.class, () -> engine.sendText("anyone?", Duration.ofMillis(300)));
        assertEquals(Failure.ACK_TIMEOUT, e.failure());
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(300));
        assertTrue(engine.isConnected());
        assertEquals("anyone?", JSON.readTree(host.receive()).path("body").asText());
        assertEquals(Delivery.HANDED_OFF, engine.sendText("no wait", Duration.ZERO));
    }

    @Test
    void theEndOfTheChannelFailsAWaitingSend() throws Exception {
        connectWith(ALL, Duration.ofHours(1));
        CompletableFuture<Object> sent = async(() -> engine.sendText("hello", Duration.ofSeconds(30)));
        host.receive();
        pair.b.close();
        WormholeException e = (WormholeException) sent.get(5, TimeUnit.SECONDS);
        assertEquals(Failure.PEER_GONE, e.failure());
    }

    @Test
    void pingsAreNeverShownAndDoNotKeepAnUnusedChannelAlive() throws Exception {
        connectWith(ALL, Duration.ofMillis(1500));
        List<String> fromEngine = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try {
                while (true) {
                    fromEngine.add(JSON.readTree(host.receive()).path("type").asText());
                }
            } catch (Exception e) {
                // the link closed
            }
        }, "host-reader");
        reader.start();
        long t0 = System.nanoTime();
        ChannelEvent event = null;
        while (event == null && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(7)) {
            host.send("{\"type\":\"ping\"}");
            event = events.nextAny(50);
        }
        assertTrue(event instanceof ChannelEvent.Ended, "pings are not shown: " + event);
        assertEquals(EndReason.TIMEOUT, ((ChannelEvent.Ended) event).reason());
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(elapsedMillis < 6_000, "ended after " + elapsedMillis + " ms despite the pings");
        reader.join(5_000);
        assertTrue(fromEngine.contains("ping"), "an idle engine sends keepalives: " + fromEngine);
        assertEquals("close", fromEngine.get(fromEngine.size() - 1));
    }

    @Test
    void realMessagesKeepTheChannelAlive() throws Exception {
        connectWith(ALL, Duration.ofMillis(1500));
        for (int i = 0; i < 25; i++) {
            host.send(textJson("tick " + i));
            assertEquals("tick " + i, events.next(ChannelEvent.TextReceived.class).body());
            Thread.sleep(100);
        }
        assertTrue(engine.isConnected());
    }

    @Test
    void aVersion1PeerGetsNoIdsNoStreamsAndNoPings() throws Exception {
        connectWith("{\"version\": 1, \"role\": \"host\"}", Duration.ofMillis(2000));
        assertEquals(Delivery.HANDED_OFF, engine.sendText("plain", Duration.ofSeconds(5)));
        JsonNode text = JSON.readTree(host.receive());
        assertNull(text.get("id"), text::toString);
        Path small = Files.write(outbox.resolve("small.txt"), new byte[100]);
        assertEquals(Delivery.HANDED_OFF, engine.sendFile(small, "small.txt", Duration.ofSeconds(5)));
        JsonNode file = JSON.readTree(host.receive());
        assertEquals("file", file.path("type").asText());
        assertNull(file.get("id"), file::toString);
        Path big = outbox.resolve("big.bin");
        try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[1]), 8L * 1024 * 1024);
        }
        assertEquals(Failure.TOO_LARGE, assertThrows(WormholeException.class,
                () -> engine.sendFile(big, "big.bin", Duration.ofSeconds(5))).failure());
        Files.createDirectories(outbox.resolve("dir"));
        assertEquals(Failure.UNSUPPORTED, assertThrows(WormholeException.class,
                () -> engine.sendFile(outbox.resolve("dir"), "dir", Duration.ofSeconds(5))).failure());
        assertEquals(Failure.UNSUPPORTED, assertThrows(WormholeException.class,
                () -> engine.sendStream(new ByteArrayInputStream(new byte[10]), "stdin", Duration.ofSeconds(5))).failure());
        events.ended(EndReason.TIMEOUT);
        assertThrows(EOFException.class, host::receive, "nothing after the file: no ping, no goodbye");
    }
}
