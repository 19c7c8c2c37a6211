package wormhole.relayserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import wormhole.testing.TestClient;

/** Admission: connection limits, the upgrade deadline, the join-size cap, lookups, unpaired share, proxies. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AdmissionTest {

    /** A bare TCP connection from a chosen loopback address. */
    private static Socket raw(int port, String from) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(5000);
        return s;
    }

    /** @return whether the relay closed {@code s} (end of stream or reset) within the socket's time-out */
    private static boolean closedByRelay(Socket s) {
        try {
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // drain what the relay says before it closes
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Test
    void aFrameHeaderOverTheJoinLimitIsCutBeforeItsPayloadIsRead() throws IOException {
        try (Relays.Started relay = Relays.start()) {
            long before = relay.server.stats().refusals().getOrDefault("message_too_large", 0L);
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    Socket s = raw(relay.port(), "127.0.0.2");
                    sockets.add(s);
                    NeverReader.upgrade(s, relay.port());
                    // A masked binary frame header announcing 10 MiB, and nothing of its payload.
                    s.getOutputStream().write(new byte[] {(byte) 0x82, (byte) 0xff, 0, 0, 0, 0, 0, (byte) 0xa0, 0, 0, 1, 2, 3, 4});
                }
                for (Socket s : sockets) {
                    assertTrue(closedByRelay(s), "a 10 MiB header before the join was not cut");
                }
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
            assertEquals(before + 20, relay.refusalsReaching("message_too_large", before + 20));
        }
    }

    /** Writes one masked client frame: its header, then the first {@code send} bytes of a payload of {@code length}. */
    private static void frame(Socket s, int opcode, int length, int send) throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.write(0x80 | opcode);
        if (length < 126) {
            b.write(0x80 | length);
        } else {
            b.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                b.write((int) ((long) length >>> (8 * i)) & 0xff);
            }
        }
        b.write(new byte[4]); // mask key 0: the payload goes as it is
        b.write(new byte[send]);
        s.getOutputStream().write(b.toByteArray());
        s.getOutputStream().flush();
    }

    /** Reads one short unmasked text frame from the relay. */
    private static String serverText(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        int b0 = in.read();
        int len = in.read();
        assertEquals(0x81, b0, "expected a text frame");
        assertTrue(len >= 0 && len < 126, "expected a short text frame");
        return new String(in.readNBytes(len), StandardCharsets.UTF_8);
    }

    @Test
    void largeMessagesOnTheirWayInShareABudgetSoStalledOnesCannotHoldTheHeap() throws IOException {
        int mib = 1024 * 1024;
        // The pair's buffer and rates are far beyond what the loop below can send in 5 s: the relay may
        // read the accomplice's first messages before the staller's header (two connections, two
        // workers), and those must not end the channel some other way (a full buffer toward a host
        // that never reads was close 1008 on a loaded machine) before the budget refuses one.
        try (Relays.Started relay = Relays.start(b -> b.maxFrameBytes(mib).bufferBytes(128L * mib)
                .maxBufferedBytes(256L * mib).framesPerWindow(100_000).bytesPerWindow(1024L * mib)
                .maxIncomingBytes(4L * mib))) {
            // An attacker pairs a channel of its own, then starts a 1 MiB message and stalls.
            try (Socket staller = raw(relay.port(), "127.0.0.2")) {
                NeverReader.upgrade(staller, relay.port());
                byte[] join = "{\"action\":\"join\",\"code\":\"stall-own-pair\",\"role\":\"host\"}"
                        .getBytes(StandardCharsets.UTF_8);
                frame(staller, 1, join.length, 0);
                staller.getOutputStream().write(join);
                assertTrue(serverText(staller).contains("waiting"));
                TestClient accomplice = TestClient.openFrom(relay.port(), "127.0.0.2", Map.of());
                accomplice.send("{\"action\":\"join\",\"code\":\"stall-own-pair\",\"role\":\"peer\"}");
                accomplice.expectStatus("paired");
                frame(staller, 2, mib, 1000);
                // Its address's share (a quarter of 4 MiB, or one full message) is taken: its next large message is refused.
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (!accomplice.isClosed() && System.nanoTime() < deadline) {
                    accomplice.send(new byte[512 * 1024]);
                    sleep(50);
                }
                assertTrue(accomplice.awaitClosed(), "a second large message from the same address was taken");
                // The relay reads the two connections on their own threads, so either large message may
                // be the one it has no room for. The accomplice's: it is cut, 1013 (or 1006 when the
                // reset from the refused rest of the message beats the close frame). The staller's (the
                // accomplice's first message got in first): the channel ends with relay_busy, which
                // reaches the accomplice as the relay's error close, 1008. Either way exactly one
                // message was refused and nothing more was held.
                int code = accomplice.closeCode();
                assertTrue(code == 1013 || code == 1006 || code == 1008, "close " + code + ", refusals " + relay.refusals());
                assertEquals(1L, relay.refusalsReaching("relay_busy", 1));
                assertEquals(Map.of("relay_busy", 1L), relay.refusals(), "no other refusal");
                // Another address's large messages still go through.
                TestClient[] healthy = LimitsTest.pythonPair(relay, "healthy-big-frames");
                healthy[0].send(new byte[mib]);
                assertEquals(mib, healthy[1].binary().length);
            }
        }
    }

    @Test
    void connectionsPerAddressAreCappedAndOtherAddressesAreNotHurt() throws IOException {
        try (Relays.Started relay = Relays.start(b -> b.maxConnectionsPerAddress(3))) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    held.add(raw(relay.port(), "127.0.0.2"));
                }
                Socket fourth = raw(relay.port(), "127.0.0.2");
                held.add(fourth);
                assertTrue(closedByRelay(fourth), "a fourth connection from one address was kept");
                assertEquals(1L, relay.refusalsReaching("too_many_connections", 1));
                TestClient other = TestClient.pythonJoin(relay.port(), "other-address-here", "host");
                other.expectStatus("waiting");
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
            // Once they close, that address may connect again.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (relay.server.stats().connectionsOpen() > 1 && System.nanoTime() < deadline) {
                sleep(10);
            }
            TestClient again = TestClient.openFrom(relay.port(), "127.0.0.2", Map.of());
            assertTrue(again.isOpen(), "the address stayed locked out after its connections closed");
        }
    }

    @Test
    void aConnectionThatNeverUpgradesIsClosedAtTheDeadline() throws IOException {
        try (Relays.Started relay = Relays.start(b -> b.upgradeTimeout(Duration.ofMillis(300)))) {
            try (Socket idle = raw(relay.port(), "127.0.0.2"); Socket slow = raw(relay.port(), "127.0.0.2")) {
                slow.getOutputStream().write("GET /ws HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                long start = System.nanoTime();
                assertTrue(closedByRelay(idle), "an idle TCP connection was kept");
                assertTrue(closedByRelay(slow), "a half-sent upgrade was kept");
                assertTrue(System.nanoTime() - start < 3_000_000_000L, "closed, but late");
            }
            assertEquals(2L, relay.refusalsReaching("upgrade_timeout", 2));
            assertEquals(0, relay.server.stats().connectionsOpen());
        }
    }

    @Test
    void failedLookupsFromOneAddressAreThrottledAndOthersStillJoin() {
        try (Relays.Started relay = Relays.start(b -> b.failedJoinsPerAddress(3))) {
            TestClient host = TestClient.pythonJoin(relay.port(), "waiting-host-here", "host");
            host.expectStatus("waiting");
            for (int i = 1; i <= 3; i++) {
                TestClient scan = TestClient.openFrom(relay.port(), "127.0.0.2", Map.of());
                scan.send("{\"action\":\"join\",\"code\":\"" + i + "\",\"role\":\"peer\"}");
                scan.expectError("no_such_channel");
            }
            TestClient scan = TestClient.openFrom(relay.port(), "127.0.0.2", Map.of());
            scan.send("{\"action\":\"join\",\"code\":\"waiting-host-here\",\"role\":\"peer\"}");
            scan.expectError("address_throttled");
            // The waiting host was not burned, and its real peer from another address pairs.
            TestClient peer = TestClient.pythonJoin(relay.port(), "waiting-host-here", "peer");
            peer.expectStatus("paired");
            assertEquals(1L, relay.server.stats().refusals().get("address_throttled"));
        }
    }

    @Test
    void oneAddressCannotFillTheUnpairedBufferForEveryone() {
        try (Relays.Started relay = Relays.start(b -> b.unpairedBytesPerAddress(4096))) {
            TestClient first = TestClient.openFrom(relay.port(), "127.0.0.2", Map.of());
            first.send("{\"action\":\"join\",\"code\":\"flood-one-a\",\"role\":\"host\"}");
            first.expectStatus("waiting");
            first.send(new byte[3000]);
            TestClient second = TestClient.openFrom(relay.port(), "127.0.0.2", Map.of());
            second.send("{\"action\":\"join\",\"code\":\"flood-two-b\",\"role\":\"host\"}");
            second.expectStatus("waiting");
            second.send(new byte[3000]);
            second.expectError("unpaired_limit");
            // Another address still holds its early frames, which reach its peer.
            TestClient host = TestClient.pythonJoin(relay.port(), "honest-host-c", "host");
            host.expectStatus("waiting");
            host.send(new byte[3000]);
            TestClient peer = TestClient.pythonJoin(relay.port(), "honest-host-c", "peer");
            peer.expectStatus("paired");
            assertEquals(3000, peer.binary().length);
        }
    }

    @Test
    void onlyATrustedProxyNamesTheClientAddress() {
        try (Relays.Started relay = Relays.start(b -> b.trustedProxies(List.of("127.0.0.3/32"))
                .maxConnectionsPerAddress(2).failedJoinsPerAddress(1))) {
            Map<String, String> clientA = Map.of("X-Forwarded-For", "203.0.113.7");
            // Through the proxy, each client address has its own limits...
            TestClient a1 = TestClient.openFrom(relay.port(), "127.0.0.3", clientA);
            TestClient a2 = TestClient.openFrom(relay.port(), "127.0.0.3", clientA);
            TestClient a3 = TestClient.openFrom(relay.port(), "127.0.0.3", clientA);
            a3.expectError("too_many_connections");
            TestClient b1 = TestClient.openFrom(relay.port(), "127.0.0.3", Map.of("X-Forwarded-For", "198.51.100.1, 203.0.113.8"));
            b1.send("{\"action\":\"join\",\"code\":\"nobody-is-here\",\"role\":\"peer\"}");
            b1.expectError("no_such_channel");
            TestClient b2 = TestClient.openFrom(relay.port(), "127.0.0.3", Map.of("X-Forwarded-For", "203.0.113.8"));
            b2.send("{\"action\":\"join\",\"code\":\"nobody-is-here\",\"role\":\"peer\"}");
            b2.expectError("address_throttled");
            a1.send("{\"action\":\"join\",\"code\":\"a-proxied-host\",\"role\":\"host\"}");
            a1.expectStatus("waiting");
            assertTrue(a2.isOpen());
            // ...and an untrusted address cannot pose as someone else: it is counted as itself.
            TestClient liar = TestClient.openFrom(relay.port(), "127.0.0.4", Map.of("X-Forwarded-For", "192.0.2.99"));
            liar.send("{\"action\":\"join\",\"code\":\"nobody-is-here\",\"role\":\"peer\"}");
            liar.expectError("no_such_channel");
            TestClient liar2 = TestClient.openFrom(relay.port(), "127.0.0.4", Map.of("X-Forwarded-For", "192.0.2.100"));
            liar2.send("{\"action\":\"join\",\"code\":\"other-nobody\",\"role\":\"peer\"}");
            liar2.expectError("address_throttled");
        }
    }

    @Test
    void healthSaysFullWhenTheRelayTakesNoMoreConnections() throws IOException {
        try (Relays.Started relay = Relays.start(b -> b.adminPort(0).maxConnections(3))) {
            int admin = relay.server.adminPort();
            assertEquals("ok", health(admin).path("status").asText());
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    held.add(raw(relay.port(), "127.0.0.2"));
                }
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (relay.server.stats().connectionsOpen() < 3 && System.nanoTime() < deadline) {
                    sleep(10);
                }
                JsonNode full = health(admin);
                assertEquals("full", full.path("status").asText(), full.toString());
                Socket refused = raw(relay.port(), "127.0.0.5");
                held.add(refused);
                assertTrue(closedByRelay(refused));
                assertTrue(relay.server.stats().refusals().get("relay_full") >= 1);
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            JsonNode h = health(admin);
            while (!"ok".equals(h.path("status").asText()) && System.nanoTime() < deadline) {
                sleep(100);
                h = health(admin);
            }
            assertEquals("ok", h.path("status").asText(), h.toString());
        }
    }

    /** @return the body of {@code /health}, whatever its status (200 or 503) */
    private static JsonNode health(int admin) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + admin + "/health").toURL().openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(5000);
        try (InputStream in = c.getResponseCode() == 200 ? c.getInputStream() : c.getErrorStream()) {
            return TestClient.JSON.readTree(in);
        } finally {
            c.disconnect();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
