package wormhole.api.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import wormhole.api.ChannelEvent;
import wormhole.api.ChannelListener;
import wormhole.api.Feature;
import wormhole.crypto.Side;
import wormhole.testing.BlockingCall;
import wormhole.testing.Events;

/**
 * {@link ChannelListener} promises one event at a time, with {@link ChannelEvent.Ended} last. A CLI
 * that prints one JSON line per event relies on it: two events at once interleave their lines.
 */
@Timeout(10)
class ListenerContractTest {
    @TempDir
    Path inbox;

    /** Holds the channel thread inside the TextReceived callback until released. */
    private static final class SlowListener implements ChannelListener {
        final AtomicInteger inside = new AtomicInteger();
        final AtomicBoolean overlapped = new AtomicBoolean();
        final CountDownLatch connected = new CountDownLatch(1);
        final CountDownLatch inText = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<ChannelEvent> seen = new ArrayList<>();

        @Override
        public void onEvent(ChannelEvent event) {
            if (inside.incrementAndGet() > 1) {
                overlapped.set(true);
            }
            try {
                synchronized (seen) {
                    seen.add(event);
                }
                if (event instanceof ChannelEvent.Connected) {
                    connected.countDown();
                } else if (event instanceof ChannelEvent.TextReceived) {
                    inText.countDown();
                    release.await(2, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inside.decrementAndGet();
            }
        }
    }

    @Test
    void closeWhileAnEventIsBeingHandledReportsTheEndingOnlyAfterIt() throws Exception {
        LinkPair pair = new LinkPair();
        SlowListener listener = new SlowListener();
        EngineSettings settings = new EngineSettings(inbox, new SecureRandom(), Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofHours(1), EnumSet.allOf(Feature.class), "test", 1024);
        ChannelEngine engine = ChannelEngine.peer(() -> pair.a, EngineHarness.CODE, settings, UpgradeSettings.NONE, listener);
        ManualEnd host = new ManualEnd(pair.b, Side.HOST, EngineHarness.CODE);
        host.handshake();
        assertTrue(listener.connected.await(5, TimeUnit.SECONDS));
        host.send("{\"type\": \"text\", \"body\": \"hello\"}");
        assertTrue(listener.inText.await(5, TimeUnit.SECONDS));

        BlockingCall<Void> closer = BlockingCall.<Void>start("closer", () -> {
            engine.close();
            return null;
        }).awaitBlockedIn("last");
        listener.release.countDown();
        closer.result();
        assertTrue(engine.awaitEnd(Duration.ofSeconds(5)).isPresent());
        pair.b.close();

        assertFalse(listener.overlapped.get(), "the listener was called for two events at once");
        synchronized (listener.seen) {
            assertInstanceOf(ChannelEvent.Ended.class, listener.seen.get(listener.seen.size() - 1),
                    listener.seen.toString());
        }
    }

    @Test
    void aListenerThatThrowsDoesNotLeaveTheChannelHalfAlive() throws Exception {
        LinkPair pair = new LinkPair();
        Events recorded = new Events();
        AtomicBoolean thrown = new AtomicBoolean();
        ChannelListener throwsOnce = event -> {
            recorded.onEvent(event);
            if (event instanceof ChannelEvent.TextReceived && thrown.compareAndSet(false, true)) {
                throw new IllegalStateException("a listener bug");
            }
        };
        EngineSettings settings = new EngineSettings(inbox, new SecureRandom(), Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofHours(1), EnumSet.allOf(Feature.class), "test", 1024);
        ChannelEngine engine = ChannelEngine.peer(() -> pair.a, EngineHarness.CODE, settings, UpgradeSettings.NONE, throwsOnce);
        try {
            ManualEnd host = new ManualEnd(pair.b, Side.HOST, EngineHarness.CODE);
            host.handshake();
            recorded.next(ChannelEvent.Connected.class);
            host.send("{\"type\": \"text\", \"body\": \"first\"}");
            recorded.next(ChannelEvent.TextReceived.class);
            host.send("{\"type\": \"text\", \"body\": \"second\"}");
            // Either the channel goes on reading, or it ends and says so; it must not stop silently.
            ChannelEvent after = recorded.nextAny(2_000);
            assertTrue(after instanceof ChannelEvent.TextReceived || after instanceof ChannelEvent.Ended,
                    "after the listener threw, the channel neither read on nor ended: " + after);
        } finally {
            engine.close();
            pair.b.close();
        }
    }
}
