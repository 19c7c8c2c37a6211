package wormhole.transport.direct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import wormhole.api.spi.DirectPaths;
import wormhole.api.spi.FrameLink;
import wormhole.testing.TestThreads;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UpgradePathsTest {
    private final UpgradePaths paths = new UpgradePaths(Duration.ofSeconds(10));
    @RegisterExtension
    final TestThreads threads = new TestThreads();


    @Test
    void hintsAreIpv4ThenBracketedIpv6AndLoopbackLastEachParsingToTheListenersPort() throws IOException {
        DirectPaths.Listener listener = paths.listen(0, Loopback.settings());
        try {
            List<String> hints = listener.hints();
            assertEquals("127.0.0.1:" + listener.port(), hints.get(hints.size() - 1), hints::toString);
            boolean sawV6 = false;
            for (String hint : hints) {
                InetSocketAddress a = UpgradePaths.parse(hint);
                assertEquals(listener.port(), a.getPort(), hint);
                boolean v6 = a.getAddress() instanceof java.net.Inet6Address;
                assertEquals(v6, hint.startsWith("["), hint);
                assertTrue(!v6 || !a.getAddress().isLinkLocalAddress(), () -> "a link-local hint: " + hint);
                assertTrue(!(sawV6 && !v6) || hint.startsWith("127."), () -> "IPv4 after IPv6: " + hints);
                sawV6 |= v6;
            }
        } finally {
            listener.close();
        }
    }

    @Test
    void parseTakesBothAddressFamiliesAndRefusesWhatIsNotHostColonPort() throws IOException {
        assertEquals(new InetSocketAddress("127.0.0.2", 5000), UpgradePaths.parse("127.0.0.2:5000"));
        assertEquals(new InetSocketAddress(InetAddress.getByName("::1"), 5000), UpgradePaths.parse("[::1]:5000"));
        for (String bad : List.of("127.0.0.1", ":5000", "127.0.0.1:0", "127.0.0.1:70000", "127.0.0.1:5/x", "::1:5000", "")) {
            assertThrows(IOException.class, () -> UpgradePaths.parse(bad), bad);
        }
    }

    @Test
    void aBracketedIpv6HintReachesTheListener() throws Exception {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
        } catch (IOException e) {
            assumeTrue(false, "no IPv6 loopback here: " + e.getMessage());
        }
        DirectPaths.Listener listener = paths.listen(0, Loopback.settings());
        try {
            Future<FrameLink> accepted = threads.submit(listener::accept);
            try (FrameLink dialed = paths.dial("[::1]:" + listener.port(), Duration.ofSeconds(5), Loopback.settings());
                    FrameLink answered = accepted.get(10, TimeUnit.SECONDS)) {
                dialed.send(new byte[] {1, 2}, new byte[] {3});
                assertArrayEquals(new byte[] {1, 2, 3}, answered.receive());
            }
        } finally {
            listener.close();
        }
    }
}
