package wormhole.transport.direct;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.HostedLink;
import wormhole.api.spi.LinkSettings;

/** Helpers for tests: settings, and links over real loopback sockets. */
final class Loopback {
    static final String HOST = "127.0.0.1";
    static final URI ANY_PORT = URI.create("tcp://127.0.0.1:0");
    static final Duration WAIT = Duration.ofSeconds(5);

    private Loopback() {
    }

    static LinkSettings settings() {
        return new LinkSettings(WAIT, (event, detail) -> { });
    }

    static URI peerUri(String host, HostedLink hosted) {
        return URI.create("tcp://" + host + ":" + hosted.nameplate());
    }

    /** Both ends of one direct link; closing the pair closes both. */
    record Pair(FrameLink host, FrameLink peer) implements AutoCloseable {
        @Override
        public void close() {
            host.close();
            peer.close();
        }
    }

    static Pair pair(DirectTransportProvider provider) throws IOException {
        return pair(provider, ANY_PORT, HOST);
    }

    static Pair pair(DirectTransportProvider provider, URI bind, String connectHost) throws IOException {
        try (HostedLink hosted = provider.host(bind, settings())) {
            FrameLink peer = provider.connect(peerUri(connectHost, hosted), hosted.nameplate(), settings());
            FrameLink host = assertTimeoutPreemptively(WAIT, () -> hosted.awaitPeer(WAIT));
            return new Pair(host, peer);
        }
    }

    /** A hosted link whose peer is a raw socket, to send bytes no well-behaved peer would. */
    record RawPeer(FrameLink link, Socket raw) implements AutoCloseable {
        void write(byte... bytes) throws IOException {
            raw.getOutputStream().write(bytes);
            raw.getOutputStream().flush();
        }

        @Override
        public void close() throws IOException {
            link.close();
            raw.close();
        }
    }

    static RawPeer rawPeer(DirectTransportProvider provider) throws IOException {
        try (HostedLink hosted = provider.host(ANY_PORT, settings())) {
            Socket raw = new Socket(HOST, Integer.parseInt(hosted.nameplate()));
            FrameLink link = assertTimeoutPreemptively(WAIT, () -> hosted.awaitPeer(WAIT));
            return new RawPeer(link, raw);
        }
    }

    static byte[] prefix(long length) {
        return new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
    }

    static byte[] pattern(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + seed);
        }
        return bytes;
    }
}
