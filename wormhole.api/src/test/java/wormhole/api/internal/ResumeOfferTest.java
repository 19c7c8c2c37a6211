package wormhole.api.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import wormhole.api.ChannelCode;
import wormhole.api.ChannelEvent;
import wormhole.api.Feature;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.HostedLink;
import wormhole.api.spi.ResumableLink;
import wormhole.api.spi.ResumeKeys;
import wormhole.crypto.Side;
import wormhole.testing.Events;

/** The engine offers {@code resume} only where its link can resume, and never to a version-1 peer. */
@Timeout(10)
class ResumeOfferTest {
    private static final ChannelCode CODE = ChannelCode.parse("4242-apple-banana-cherry");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path inbox;

    private final LinkPair pair = new LinkPair();
    private final List<ChannelEngine> engines = new ArrayList<>();

    @AfterEach
    void stop() {
        engines.forEach(ChannelEngine::close);
        pair.a.close();
        pair.b.close();
    }

    /** A link that can resume, recording what the engine decided. */
    private static final class Resumable implements ResumableLink {
        private final FrameLink inner;
        final CompletableFuture<ResumeKeys> decided = new CompletableFuture<>();

        Resumable(FrameLink inner) {
            this.inner = inner;
        }

        @Override
        public boolean offersResume() {
            return true;
        }

        @Override
        public void resumeAgreed(ResumeKeys keys) {
            decided.complete(keys);
        }

        @Override
        public void resumeDeclined() {
            decided.complete(null);
        }

        @Override
        public void send(byte[] frame) throws IOException {
            inner.send(frame);
        }

        @Override
        public byte[] receive() throws IOException {
            return inner.receive();
        }

        @Override
        public void close() {
            inner.close();
        }

        ResumeKeys keys() throws Exception {
            return decided.get(5, TimeUnit.SECONDS);
        }
    }

    private EngineSettings settings() {
        return new EngineSettings(inbox, new SecureRandom(), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofHours(1), EnumSet.allOf(Feature.class), "test-engine", 1024);
    }

    private ChannelEngine host(FrameLink link, Events events) {
        HostedLink hosted = new HostedLink() {
            @Override
            public String nameplate() {
                return CODE.nameplate();
            }

            @Override
            public FrameLink awaitPeer(Duration timeout) {
                return link;
            }

            @Override
            public void close() {
            }
        };
        ChannelEngine e = ChannelEngine.host(hosted, CODE, settings(), UpgradeSettings.NONE, events);
        engines.add(e);
        return e;
    }

    private ChannelEngine peer(FrameLink link, Events events) {
        ChannelEngine e = ChannelEngine.peer(() -> link, CODE, settings(), UpgradeSettings.NONE, events);
        engines.add(e);
        return e;
    }

    private static List<String> features(String versionJson) throws IOException {
        List<String> names = new ArrayList<>();
        JsonNode v = JSON.readTree(versionJson);
        v.path("features").forEach(f -> names.add(f.asText()));
        return names;
    }

    @Test
    void twoEndsWhoseLinksResumeAgreeWithTheSameKeys() throws Exception {
        Resumable atHost = new Resumable(pair.b);
        Resumable atPeer = new Resumable(pair.a);
        host(atHost, new Events());
        peer(atPeer, new Events());
        ResumeKeys h = atHost.keys();
        ResumeKeys p = atPeer.keys();
        assertTrue(h != null && p != null, "both agreed");
        assertArrayEquals(h.hostKey(), p.hostKey());
        assertArrayEquals(h.peerKey(), p.peerKey());
        assertFalse(java.util.Arrays.equals(h.hostKey(), h.peerKey()), "one key per role");
    }

    @Test
    void aHostNeverOffersResumeToAVersion1PeerAndDeclines() throws Exception {
        Resumable atHost = new Resumable(pair.b);
        Events events = new Events();
        host(atHost, events);
        ManualEnd python = new ManualEnd(pair.a, Side.PEER, CODE);
        String hostVersion = python.handshake();
        events.next(ChannelEvent.Connected.class);
        assertFalse(features(hostVersion).contains("resume"), hostVersion);
        assertTrue(features(hostVersion).containsAll(List.of("ack", "close", "ping", "stream")), hostVersion);
        assertEquals(null, atHost.keys(), "declined");
    }

    @Test
    void aHostOffersResumeToAPeerThatDid() throws Exception {
        Resumable atHost = new Resumable(pair.b);
        host(atHost, new Events());
        ManualEnd ours = new ManualEnd(pair.a, Side.PEER, CODE);
        String hostVersion = ours.handshake(
                "{\"version\":1,\"role\":\"peer\",\"features\":[\"ack\",\"resume\"],\"implementation\":\"x\"}");
        assertTrue(features(hostVersion).contains("resume"), hostVersion);
        assertTrue(atHost.keys() != null, "agreed");
    }

    @Test
    void aPeerWhoseLinkResumesOffersItAndDeclinesWithAVersion1Host() throws Exception {
        Resumable atPeer = new Resumable(pair.a);
        peer(atPeer, new Events());
        ManualEnd python = new ManualEnd(pair.b, Side.HOST, CODE);
        String peerVersion = python.handshake();
        assertTrue(features(peerVersion).contains("resume"), peerVersion);
        assertEquals(null, atPeer.keys(), "declined");
    }

    @Test
    void aLinkThatCannotResumeIsNeverOfferedIt() throws Exception {
        Events events = new Events();
        peer(pair.a, events);
        ManualEnd host = new ManualEnd(pair.b, Side.HOST, CODE);
        String peerVersion = host.handshake("{\"version\":1,\"role\":\"host\",\"features\":[\"resume\"]}");
        events.next(ChannelEvent.Connected.class);
        assertFalse(features(peerVersion).contains("resume"), peerVersion);
    }
}
