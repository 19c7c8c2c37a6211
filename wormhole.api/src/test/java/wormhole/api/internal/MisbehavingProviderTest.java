package wormhole.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import wormhole.api.ChannelCode;
import wormhole.api.ChannelEvent;
import wormhole.api.EndReason;
import wormhole.api.Feature;
import wormhole.api.WormholeException;
import wormhole.api.WormholeException.Failure;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.HostedLink;
import wormhole.api.spi.LinkSettings;
import wormhole.api.spi.TransportProvider;
import wormhole.testing.Events;

/**
 * A transport that breaks the SPI's contract at each call (unchecked exceptions, nulls, a malformed
 * nameplate, a wait that ignores its close): the engine ends the channel with
 * {@code connection_failed} and closes whatever the transport opened.
 */
@Timeout(10)
class MisbehavingProviderTest {
    private static final ChannelCode CODE = ChannelCode.parse("4242-apple-banana-cherry");
    private static final TransportProvider PROVIDER = new BrokenProvider();

    @TempDir
    Path inbox;

    private final Events events = new Events();
    private final CountDownLatch release = new CountDownLatch(1);
    private ChannelEngine engine;

    @AfterEach
    void stop() {
        release.countDown();
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void aHostThatThrowsIsConnectionFailed() {
        WormholeException e = assertThrows(WormholeException.class, () -> ProviderCalls.host(PROVIDER, () -> {
            throw new IllegalArgumentException("bad port");
        }, false));
        assertEquals(Failure.CONNECTION_FAILED, e.failure());
        assertTrue(e.getMessage().contains("IllegalArgumentException: bad port"), e.getMessage());
    }

    @Test
    void aHostThatReturnsNothingIsConnectionFailed() {
        WormholeException e = assertThrows(WormholeException.class, () -> ProviderCalls.host(PROVIDER, () -> null, false));
        assertEquals(Failure.CONNECTION_FAILED, e.failure());
    }

    @Test
    void refusingAChosenIdIsUnsupportedOnlyWhereTheSpiAllowsIt() {
        WormholeException chosen = assertThrows(WormholeException.class, () -> ProviderCalls.host(PROVIDER, () -> {
            throw new UnsupportedOperationException("no chosen ids");
        }, true));
        assertEquals(Failure.UNSUPPORTED, chosen.failure());
        WormholeException plain = assertThrows(WormholeException.class, () -> ProviderCalls.host(PROVIDER, () -> {
            throw new UnsupportedOperationException("no hosting");
        }, false));
        assertEquals(Failure.CONNECTION_FAILED, plain.failure());
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "abc", "12345678901", "-1", " 42", "42 ", "４２"})
    void aMalformedNameplateClosesTheHostedLink(String nameplate) {
        BrokenHosted hosted = new BrokenHosted(() -> nameplate);
        WormholeException e = assertThrows(WormholeException.class, () -> ProviderCalls.nameplate(PROVIDER, hosted));
        assertEquals(Failure.CONNECTION_FAILED, e.failure());
        assertTrue(hosted.isClosed(), "the hosted link is closed");
    }

    @Test
    void aNameplateThatThrowsClosesTheHostedLink() {
        BrokenHosted hosted = new BrokenHosted(() -> {
            throw new NullPointerException("no port yet");
        });
        WormholeException e = assertThrows(WormholeException.class, () -> ProviderCalls.nameplate(PROVIDER, hosted));
        assertEquals(Failure.CONNECTION_FAILED, e.failure());
        assertTrue(hosted.isClosed(), "the hosted link is closed");
    }

    @Test
    void aWellFormedNameplatePasses() throws Exception {
        BrokenHosted hosted = new BrokenHosted(() -> "0123456789");
        assertEquals("0123456789", ProviderCalls.nameplate(PROVIDER, hosted));
        assertTrue(!hosted.isClosed(), "the hosted link stays open");
    }

    @Test
    void anAwaitPeerThatThrowsEndsTheChannelAndClosesTheHostedLink() throws Exception {
        BrokenHosted hosted = new BrokenHosted(() -> "42") {
            @Override
            public FrameLink awaitPeer(Duration timeout) {
                throw new IllegalArgumentException("a peer from nowhere");
            }
        };
        engine = ChannelEngine.host(hosted, CODE, settings(), UpgradeSettings.NONE, events);
        ChannelEvent.Ended ended = events.ended(EndReason.CONNECTION_FAILED);
        assertTrue(ended.detail().contains("awaitPeer"), ended.detail());
        assertTrue(hosted.isClosed(), "the hosted link is closed");
    }

    @Test
    void anAwaitPeerThatReturnsNothingEndsTheChannel() throws Exception {
        BrokenHosted hosted = new BrokenHosted(() -> "42") {
            @Override
            public FrameLink awaitPeer(Duration timeout) {
                return null;
            }
        };
        engine = ChannelEngine.host(hosted, CODE, settings(), UpgradeSettings.NONE, events);
        events.ended(EndReason.CONNECTION_FAILED);
        assertTrue(hosted.isClosed(), "the hosted link is closed");
    }

    @Test
    void anAwaitPeerThatIgnoresItsCloseDoesNotHoldTheChannel() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        BrokenLink late = new BrokenLink(Fault.NONE);
        BrokenHosted hosted = new BrokenHosted(() -> "42") {
            @Override
            public FrameLink awaitPeer(Duration timeout) {
                waiting.countDown();
                awaitUninterruptibly(release);
                return late;
            }
        };
        engine = ChannelEngine.host(hosted, CODE, settings(), UpgradeSettings.NONE, events);
        assertTrue(waiting.await(5, TimeUnit.SECONDS), "awaitPeer was called");
        engine.close();
        events.ended(EndReason.CLOSED);
        assertTrue(hosted.isClosed(), "the hosted link is closed");
        release.countDown();
        assertTrue(late.closed.await(5, TimeUnit.SECONDS), "a link returned after the end is closed unused");
        assertEquals(0, late.sent, "nothing was sent on it");
    }

    @Test
    void aConnectThatThrowsIsConnectionFailed() throws Exception {
        engine = ChannelEngine.peer(() -> {
            throw new NullPointerException("no route");
        }, CODE, settings(), UpgradeSettings.NONE, events);
        ChannelEvent.Ended ended = events.ended(EndReason.CONNECTION_FAILED);
        assertTrue(ended.detail().contains("connect: NullPointerException: no route"), ended.detail());
    }

    @ParameterizedTest
    @CsvSource({"SEND, send: IllegalArgumentException", "RECEIVE, receive: IllegalStateException"})
    void aLinkCallThatThrowsEndsTheChannelAndClosesTheLink(Fault fault, String detail) throws Exception {
        BrokenLink link = new BrokenLink(fault);
        engine = ChannelEngine.peer(() -> link, CODE, settings(), UpgradeSettings.NONE, events);
        ChannelEvent.Ended ended = events.ended(EndReason.CONNECTION_FAILED);
        assertTrue(ended.detail().contains(detail), ended.detail());
        assertTrue(link.closed.await(5, TimeUnit.SECONDS), "the link is closed");
    }

    @Test
    void aCloseThatThrowsStillEndsTheChannel() throws Exception {
        BrokenLink link = new BrokenLink(Fault.CLOSE);
        engine = ChannelEngine.peer(() -> link, CODE, settings(), UpgradeSettings.NONE, events);
        assertTrue(link.receiving.await(5, TimeUnit.SECONDS), "the engine waits for the host's message");
        engine.close();
        events.ended(EndReason.CLOSED);
        assertTrue(link.closed.await(5, TimeUnit.SECONDS), "close was called");
    }

    private EngineSettings settings() {
        return new EngineSettings(inbox, new SecureRandom(), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofHours(1), EnumSet.allOf(Feature.class), "test-engine", 1024);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    enum Fault { NONE, SEND, RECEIVE, CLOSE }

    /** A link that throws an unchecked exception where told, and otherwise waits quietly until closed. */
    private static final class BrokenLink implements FrameLink {
        private final Fault fault;
        final CountDownLatch receiving = new CountDownLatch(1);
        final CountDownLatch closed = new CountDownLatch(1);
        volatile int sent;

        BrokenLink(Fault fault) {
            this.fault = fault;
        }

        @Override
        public void send(byte[] frame) {
            if (fault == Fault.SEND) {
                throw new IllegalArgumentException("cannot send");
            }
            sent++;
        }

        @Override
        public byte[] receive() throws IOException {
            if (fault == Fault.RECEIVE) {
                throw new IllegalStateException("cannot receive");
            }
            receiving.countDown();
            awaitUninterruptibly(closed);
            throw new IOException("closed");
        }

        @Override
        public void close() {
            closed.countDown();
            if (fault == Fault.CLOSE) {
                throw new IllegalStateException("cannot close");
            }
        }
    }

    /** A hosted link with the given nameplate whose wait fails unless a test overrides it. */
    private static class BrokenHosted implements HostedLink {
        private final Supplier<String> nameplate;
        private final CountDownLatch closed = new CountDownLatch(1);

        BrokenHosted(Supplier<String> nameplate) {
            this.nameplate = nameplate;
        }

        @Override
        public String nameplate() {
            return nameplate.get();
        }

        @Override
        public FrameLink awaitPeer(Duration timeout) throws IOException {
            throw new IOException("no peer here");
        }

        @Override
        public void close() {
            closed.countDown();
        }

        boolean isClosed() {
            return closed.getCount() == 0;
        }
    }

    /** A provider whose calls the tests make themselves. */
    private static final class BrokenProvider implements TransportProvider {
        @Override
        public String name() {
            return "broken";
        }

        @Override
        public boolean supports(URI rendezvous) {
            return true;
        }

        @Override
        public HostedLink host(URI rendezvous, LinkSettings settings) {
            throw new IllegalStateException("not called");
        }

        @Override
        public FrameLink connect(URI rendezvous, String channelId, LinkSettings settings) {
            throw new IllegalStateException("not called");
        }
    }
}
