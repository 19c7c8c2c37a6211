package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Someone who is not our peer opens the direct host's port: the host closes the socket, prints one
 * JSON error line within its handshake time-out, and exits cleanly.
 */
@Timeout(90)
class HostileClientIT {
    private static final Duration WITHIN = Duration.ofSeconds(15);

    @TempDir
    Path tmp;

    private final Image image = Image.locate();

    @Test
    void garbageGetsAClosedSocketAndAnError() throws IOException {
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
                JsonNode end = Json.parse(p.host.awaitLine(line -> {
                    String event = Json.parse(line).path("event").asText();
                    return event.equals("handshake_failed") || event.equals("error");
                }, WITHIN));
                assertTrue(end.has("detail"), end::toString);
                InputStream in = s.getInputStream();
                long deadline = System.nanoTime() + WITHIN.toNanos();
                int read = 0;
                while (read >= 0 && System.nanoTime() < deadline) {
                    read = in.read(new byte[64]);
                }
                assertEquals(-1, read, "the host must close the socket");
            }
            int exit = p.host.waitFor(WITHIN);
            assertTrue(exit == 3 || exit == 1, "exit " + exit);
            assertEquals(0, Pair.channelFiles(p.hostRuntime));
            assertTrue(p.host.linesSoFar().stream().allMatch(l -> Json.parse(l).has("type")));
        }
    }
}
