package wormhole.transport.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import wormhole.api.ChannelCode;
import wormhole.api.ChannelEvent;
import wormhole.api.EndReason;
import wormhole.api.Wormhole;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.HostedLink;
import wormhole.api.spi.LinkSettings;

/**
 * The client against a relay that breaks its own limits: every breach ends the link with a
 * {@code relay: } error, closes the connection, and allocates nothing for what was announced.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RelayLimitsTest {
    private static final String PAIRED_WITH_PYTHON = "{\"type\":\"status\",\"event\":\"paired\",\"peer_protocol\":1}";
    private static final String WAITING = "{\"type\":\"status\",\"event\":\"waiting\"}";
    private static final String PAIRED = "{\"type\":\"status\",\"event\":\"paired\"}";
    private static final int ONE_GIB = 1 << 30;

    private final RelayTransportProvider provider = new RelayTransportProvider();

    private static LinkSettings settings() {
        return new LinkSettings(Duration.ofSeconds(10), (event, detail) -> { });
    }

    /**
     * Our host at the hostile relay, which welcomes it with small limits and pairs it at once; the
     * relay's script goes on once the host is paired.
     */
    private FrameLink pairedHost(HostileRelay relay) throws IOException {
        HostedLink hosted = provider.host(relay.uri(), settings());
        FrameLink link = hosted.awaitPeer(Duration.ofSeconds(10));
        relay.go();
        return link;
    }

    private static HostileRelay welcomingRelay(int maxFrameBytes, long bufferBytes, HostileRelay.Script then)
            throws IOException {
        return HostileRelay.start(r -> {
            r.nextText(10); // the join
            r.text(HostileRelay.welcome("host", maxFrameBytes, bufferBytes));
            r.text(WAITING);
            r.text(PAIRED_WITH_PYTHON);
            r.awaitGo();
            then.run(r);
        });
    }

    private static void assertRelayError(IOException e, String... parts) {
        assertTrue(e.getMessage().startsWith("relay: "), e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), e.getMessage());
        }
    }

    @Test
    void aMessageOverTheAnnouncedLimitEndsTheLinkWithARelayError() throws Exception {
        try (HostileRelay relay = welcomingRelay(1000, 1 << 20, r -> {
            r.binary(new byte[1064]); // exactly max_message_bytes: accepted
            r.binary(new byte[1065]);
        })) {
            FrameLink host = pairedHost(relay);
            assertEquals(1064, host.receive().length);
            IOException e = assertThrows(IOException.class, host::receive);
            assertRelayError(e, "1065 bytes", "1064-byte limit");
            assertTrue(relay.awaitClientGone(10), "the client closes the connection");
            assertThrows(IOException.class, () -> host.send(new byte[1]), "the link is over for sending too");
            host.close();
        }
    }

    @Test
    void aGigabyteFrameHeaderIsRefusedWithoutWaitingForOrAllocatingItsPayload() throws Exception {
        // Java-WebSocket's own draft would allocate the whole gigabyte here (under the module's -Xmx256m,
        // an OutOfMemoryError on the connection's thread) and then wait for it forever.
        assertTrue(Runtime.getRuntime().maxMemory() < ONE_GIB, "the test heap must be too small for 1 GiB");
        try (HostileRelay relay = welcomingRelay(1000, 1 << 20, r -> r.header(2, true, ONE_GIB))) {
            FrameLink host = pairedHost(relay);
            IOException e = assertThrows(IOException.class, host::receive);
            assertRelayError(e, ONE_GIB + " bytes", "1064-byte limit");
            assertTrue(relay.awaitClientGone(10), "the client closes the connection");
            host.close();
        }
    }

    @Test
    void aMessageRightAfterTheWelcomeInTheSameReadIsHeldToTheAnnouncedLimit() throws Exception {
        try (HostileRelay relay = HostileRelay.start(r -> {
            r.nextText(10);
            r.text(HostileRelay.welcome("host", 1000, 1 << 20));
            r.text(WAITING);
            r.text(PAIRED_WITH_PYTHON);
            r.binary(new byte[5000]); // over the welcome's limit, under the 64 KiB allowed before it
        })) {
            IOException e = assertThrows(IOException.class, () -> {
                FrameLink host = pairedHost(relay);
                host.receive();
            });
            assertRelayError(e, "5000 bytes", "1064-byte limit");
        }
    }

    @Test
    void aWelcomeThatAnnouncesMoreThanTheReferenceStillGetsTheReferenceLimit() throws Exception {
        int reference = 10 * 1024 * 1024 + 64;
        try (HostileRelay relay = HostileRelay.start(r -> {
            r.nextText(10);
            r.text(HostileRelay.welcome("host", ONE_GIB, 1L << 40));
            r.text(WAITING);
            r.text(PAIRED_WITH_PYTHON);
            r.awaitGo();
            r.header(2, true, reference + 1);
        })) {
            FrameLink host = pairedHost(relay);
            IOException e = assertThrows(IOException.class, host::receive);
            assertRelayError(e, (reference + 1) + " bytes", reference + "-byte limit");
            host.close();
        }
    }

    @Test
    void aMessageSplitIntoFramesCountsWhole() throws Exception {
        try (HostileRelay relay = welcomingRelay(1000, 1 << 20, r -> {
            rawFrame(r, 2, false, 600);
            rawFrame(r, 0, false, 400);
            rawFrame(r, 0, true, 100); // 1100 bytes in all
        })) {
            FrameLink host = pairedHost(relay);
            IOException e = assertThrows(IOException.class, host::receive);
            assertRelayError(e, "1100 bytes");
            host.close();
        }
    }

    private static void rawFrame(HostileRelay r, int opcode, boolean fin, int length) throws IOException {
        r.header(opcode, fin, length);
        r.raw(new byte[length]);
    }

    @Test
    void beforeItsAnswerToTheJoinARelayMaySendOnlySmallMessages() throws Exception {
        try (HostileRelay relay = HostileRelay.start(r -> {
            r.nextText(10);
            r.header(2, true, ONE_GIB);
        })) {
            IOException e = assertThrows(IOException.class, () -> provider.host(relay.uri(), settings()));
            assertRelayError(e, ONE_GIB + " bytes", Connection.MAX_TEXT_BYTES + "-byte limit");
        }
    }

    @Test
    void textFromTheRelayIsCappedLikeAControlMessage() throws Exception {
        try (HostileRelay relay = welcomingRelay(1 << 20, 1 << 22, r -> r.text("x".repeat(Connection.MAX_TEXT_BYTES + 1)))) {
            FrameLink host = pairedHost(relay);
            IOException e = assertThrows(IOException.class, host::receive);
            assertRelayError(e, "text message of " + (Connection.MAX_TEXT_BYTES + 1) + " bytes");
            host.close();
        }
    }

    @Test
    void aRelayWithoutAWelcomeGetsTheReferenceLimitOf10MiBPlus64() throws Exception {
        int reference = 10 * 1024 * 1024 + 64;
        try (HostileRelay relay = HostileRelay.start(r -> {
            r.nextText(10);
            r.text(PAIRED); // a Python relay answers the peer's join with a plain status
            r.binary(new byte[reference]);
            r.binary(new byte[reference + 1]);
        })) {
            FrameLink peer = provider.connect(relay.uri(), "apple-banana-cherry", settings());
            assertEquals(reference, peer.receive().length);
            IOException e = assertThrows(IOException.class, peer::receive);
            assertRelayError(e, (reference + 1) + " bytes", reference + "-byte limit");
            peer.close();
        }
    }

    @Test
    void aChannelThroughARelayThatBreaksItsLimitEndsWithTheRelayErrorAndNothingHangs(@TempDir Path inbox) throws Exception {
        try (HostileRelay relay = HostileRelay.start(r -> {
            r.nextText(10);
            r.text(PAIRED); // as a Python relay answers a peer, which then expects the host's SPAKE2 message
            r.header(2, true, ONE_GIB);
        })) {
            BlockingQueue<ChannelEvent> events = new LinkedBlockingQueue<>();
            Wormhole.builder().inbox(inbox).build().connect(relay.uri(), ChannelCode.parse("apple-banana-cherry"), events::add);
            ChannelEvent e;
            do {
                e = events.poll(20, TimeUnit.SECONDS);
                assertNotNull(e, "the channel did not end");
            } while (!(e instanceof ChannelEvent.Ended));
            ChannelEvent.Ended ended = (ChannelEvent.Ended) e;
            assertEquals(EndReason.HANDSHAKE_FAILED, ended.reason(), ended::toString);
            assertTrue(ended.detail().startsWith("relay: sent a binary message of " + ONE_GIB + " bytes"), ended::toString);
        }
    }

    @Test
    void aRelayThatFloodsMessagesThisSideHasNotConsumedIsCutOff() throws Exception {
        int frame = 16 * 1024;
        long buffer = 64 * 1024;
        List<Integer> sent = new ArrayList<>();
        try (HostileRelay relay = welcomingRelay(frame, buffer, r -> {
            for (int i = 0; i < 1000 && !r.clientGone(); i++) {
                r.binary(new byte[frame]);
                sent.add(i);
            }
        })) {
            FrameLink host = pairedHost(relay);
            // Nothing is consumed until the relay has given up or been cut off.
            assertTrue(relay.awaitClientGone(20), "the client cuts a relay that ignores its bound; sent " + sent.size());
            long bound = buffer + frame + 64;
            int received = 0;
            IOException e = null;
            while (e == null) {
                try {
                    host.receive();
                    received++;
                } catch (IOException x) {
                    e = x;
                }
            }
            assertRelayError(e, "not consumed", bound + "-byte bound");
            assertTrue((long) received * frame <= bound, received + " messages kept");
            assertTrue(received >= buffer / frame, "what the relay may hold still arrives: " + received);
            host.close();
        }
    }
}
