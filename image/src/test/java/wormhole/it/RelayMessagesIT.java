package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Text and files both ways through a real relay process between two real processes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class RelayMessagesIT {
    private Path tmp;
    private RelayProcess relay;
    private RelayPair pair;

    @BeforeAll
    void connect(@TempDir Path dir) throws IOException {
        tmp = dir;
        Image image = Image.locate();
        relay = RelayProcess.start(image);
        pair = RelayPair.connected(image, tmp, relay.url(), relay.url());
    }

    @AfterAll
    void stop() {
        if (pair != null) {
            pair.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void bothEndsReportPairedThenConnectedWithTheSameVerifier() {
        JsonNode channel = RelayPair.first(pair.host, "channel");
        assertEquals("relay", channel.path("mode").asText());
        assertTrue(pair.code.matches("[0-9]+-[a-z]+-[a-z]+-[a-z]+"), pair.code);
        for (Image.Running end : new Image.Running[] {pair.host, pair.peer}) {
            var lines = end.linesSoFar();
            int paired = indexOf(lines, "paired");
            int connected = indexOf(lines, "connected");
            assertTrue(paired >= 0 && paired < connected, lines::toString);
        }
        assertTrue(indexOf(pair.host.linesSoFar(), "waiting") < indexOf(pair.host.linesSoFar(), "paired"));
        String hostVerifier = RelayPair.first(pair.host, "connected").path("verifier").asText();
        String peerVerifier = RelayPair.first(pair.peer, "connected").path("verifier").asText();
        assertTrue(hostVerifier.matches("[0-9]{4} [0-9]{4} [0-9]{4} [0-9]{4}"), hostVerifier);
        assertEquals(hostVerifier, peerVerifier);
    }

    private static int indexOf(java.util.List<String> lines, String event) {
        for (int i = 0; i < lines.size(); i++) {
            if (Json.status(event).test(lines.get(i))) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void textTravelsEachWay() {
        Pair.sent(pair.sendFromHost("hello through the relay"));
        assertEquals("hello through the relay", Json.parse(pair.peer.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());
        Pair.sent(pair.sendFromPeer("and", "back", "again"));
        assertEquals("and back again", Json.parse(pair.host.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());
    }

    @Test
    void filesTravelEachWayWhole() throws IOException {
        Path small = tmp.resolve("config.json");
        Files.writeString(small, "{\"key\": \"value\"}\n");
        Pair.sent(pair.sendFromPeer("--file", small.toString()));
        JsonNode got = Json.parse(pair.host.awaitLine(Json.type("file"), Pair.LINE));
        assertEquals("config.json", got.path("name").asText());
        Path saved = Path.of(got.path("saved_to").asText());
        assertEquals(Files.readString(small), Files.readString(saved));
        assertTrue(saved.startsWith(pair.hostRuntime), saved::toString);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(saved)));

        // 5 MiB of random bytes: one frame of about 6.7 MiB after base64, far above any bundle of small frames.
        byte[] content = new byte[5 * 1024 * 1024];
        new Random(42).nextBytes(content);
        Path big = tmp.resolve("big.bin");
        Files.write(big, content);
        JsonNode sent = Pair.sent(pair.sendFromHost("--file", big.toString()));
        assertEquals("file", sent.path("kind").asText());
        JsonNode bigGot = Json.parse(pair.peer.awaitLine(Json.type("file"), Pair.LINE));
        assertEquals(content.length, bigGot.path("size").asLong());
        Path bigSaved = Path.of(bigGot.path("saved_to").asText());
        assertTrue(bigSaved.startsWith(pair.peerRuntime), bigSaved::toString);
        assertArrayEquals(content, Files.readAllBytes(bigSaved));
    }

    @Test
    void statusListsARelayChannelByItsNameplate() {
        Image.Result r = RelayPair.command(pair.image, tmp, pair.peerRuntime, "status").run();
        assertEquals(0, r.exitCode(), r::toString);
        JsonNode line = Json.parse(r.stdoutLines().get(0));
        assertEquals("peer", line.path("role").asText(), r::toString);
        assertEquals("relay", line.path("mode").asText(), r::toString);
        assertEquals("connected", line.path("state").asText(), r::toString);
        assertEquals(pair.code.substring(0, pair.code.indexOf('-')), line.path("nameplate").asText(), r::toString);
        assertFalse(r.stdout().contains(pair.code), "status must not print the code");
    }
}
