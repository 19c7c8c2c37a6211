package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Someone who is not our peer opens the direct host's port and sends what no peer sends: the host
 * closes that socket without a byte in answer and keeps waiting, so the channel is not spent (it used
 * to end with {@code handshake_failed}; issue 16 made strays harmless). The real peer then connects.
 */
@Timeout(90)
class HostileClientIT {
    private static final Duration WITHIN = Duration.ofSeconds(15);

    @TempDir
    Path tmp;

    private final Image image = Image.locate();

    @Test
    void garbageGetsAClosedSocketAndTheHostKeepsWaiting() throws IOException {
        assertRefused(new byte[] {0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o'}, false);
    }

    @Test
    void aFourGibibyteLengthPrefixIsRefusedWithoutAllocating() throws IOException {
        assertRefused(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, false);
    }

    @Test
    void halfAFrameAndThenAStallIsCutOffByTheTimeout() throws IOException {
        assertRefused(new byte[] {0, 0, 0, 33, 'A', 1, 2, 3}, true);
    }

    private void assertRefused(byte[] bytes, boolean stall) throws IOException {
        try (Pair p = Pair.host(image, tmp, "--handshake-timeout", "3")) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", p.port()), 2000);
                s.setSoTimeout((int) WITHIN.toMillis());
                OutputStream out = s.getOutputStream();
                out.write(bytes);
                out.flush();
                if (!stall) {
                    s.shutdownOutput();
                }
                InputStream in = s.getInputStream();
                long deadline = System.nanoTime() + WITHIN.toNanos();
                int read = 0;
                long answered = 0;
                while (read >= 0 && System.nanoTime() < deadline) {
                    read = in.read(new byte[64]);
                    answered += Math.max(0, read);
                }
                assertEquals(-1, read, "the host must close the socket");
                assertEquals(0, answered, "the host must not answer a stray");
            }
            // The channel is not spent: the real peer still connects.
            p.connectPeer(p.code + "@127.0.0.1");
            p.host.awaitLine(Json.status("connected"), WITHIN);
            p.peer.awaitLine(Json.status("connected"), WITHIN);
            assertTrue(p.host.linesSoFar().stream().noneMatch(Json.status("handshake_failed").or(Json.status("error"))),
                    p.host.linesSoFar()::toString);
            assertTrue(p.host.linesSoFar().stream().allMatch(l -> Json.parse(l).has("type")));
        }
    }
}
