package wormhole.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import wormhole.api.ChannelEvent;
import wormhole.api.EndReason;
import wormhole.api.Feature;
import wormhole.api.Role;
import wormhole.api.WormholeException;
import wormhole.api.WormholeException.Failure;
import wormhole.crypto.Side;

/** How a connected engine ends: goodbyes, hang-ups, and a host closed before its peer arrives. */
class ChannelEngineClosingTest extends EngineHarness {
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
    void endOfFileAfterConnectingIsDisconnected() throws Exception {
        connect();
        pair.b.close();
        events.ended(EndReason.DISCONNECTED);
        assertFalse(engine.isConnected());
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
                "test-engine", 1024), UpgradeSettings.NONE, events);
        host = new ManualEnd(pair.b, Side.HOST, CODE);
        host.handshake("{\"version\": 1, \"role\": \"host\", \"features\": [\"close\"]}");
        events.next(ChannelEvent.Connected.class);
        pair.a.delaySendReturn(300);
        Thread hangUp = hangUpOnGoodbye();
        events.ended(EndReason.TIMEOUT);
        hangUp.join(5_000);
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
        engine = ChannelEngine.host(hosted, CODE, settings(Duration.ofSeconds(5)), UpgradeSettings.NONE, events);
        assertEquals(Role.HOST, engine.role());
        engine.close();
        events.ended(EndReason.CLOSED);
        assertEquals(0, closed.getCount(), "the rendezvous was closed");
        assertTrue(events.pending().isEmpty(), events.pending().toString());
    }
}
