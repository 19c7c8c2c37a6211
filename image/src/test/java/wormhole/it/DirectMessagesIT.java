package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Text and files through one direct channel between two real processes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class DirectMessagesIT {
    private Path tmp;
    private Pair pair;

    @BeforeAll
    void connect(@TempDir Path dir) throws IOException {
        tmp = dir;
        pair = Pair.connected(Image.locate(), tmp);
    }

    @AfterAll
    void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void bothEndsShowTheSameVerifier() {
        String hostVerifier = Json.parse(pair.host.linesSoFar().stream().filter(Json.status("connected")).findFirst().orElseThrow())
                .path("verifier").asText();
        String peerVerifier = Json.parse(pair.peer.linesSoFar().stream().filter(Json.status("connected")).findFirst().orElseThrow())
                .path("verifier").asText();
        assertFalse(hostVerifier.isEmpty());
        assertEquals(hostVerifier, peerVerifier);
    }

    @Test
    void textTravelsEachWay() {
        Pair.sent(pair.sendFromHost("hello from the host"));
        assertEquals("hello from the host", Json.parse(pair.peer.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());
        Pair.sent(pair.sendFromPeer("hello", "from", "the", "peer"));
        assertEquals("hello from the peer", Json.parse(pair.host.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());
    }

    @Test
    void terminalControlsFromThePeerAreEscapedOnTheLineAndReadBackExactly() {
        // CSI, ESC, DEL, a right-to-left override, a line separator, a zero-width space, a tag character
        String hostile = "a\u009b31mb\u001b[2Jc\u007fd\u202ee\u2028f\u200bg\udb40\udc41h";
        Pair.sent(pair.send(pair.hostRuntime, hostile, "--stdin"));
        String line = pair.peer.awaitLine(l -> l.contains("\\u202E"), Pair.LINE);
        assertTrue(line.chars().allMatch(c -> c >= 0x20 && c < 0x7f), line);
        assertTrue(line.contains("\\u009B31m") && line.contains("\\u001B[2J") && line.contains("\\u007F")
                && line.contains("\\u2028") && line.contains("\\u200B"), line);
        assertEquals(hostile, Json.parse(line).path("body").asText());
    }

    @Test
    void textOfExactly1024BytesIsInlineAnd1025IsSaved() throws IOException {
        String exact = "é".repeat(512);
        assertEquals(1024, exact.getBytes(StandardCharsets.UTF_8).length);
        Pair.sent(pair.sendFromHost(exact));
        assertEquals(exact, Json.parse(pair.peer.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());

        String over = "x" + exact;
        Pair.sent(pair.send(pair.hostRuntime, over, "--stdin"));
        JsonNode saved = Json.parse(pair.peer.awaitLine(Json.type("text"), Pair.LINE));
        assertFalse(saved.has("body"), saved::toString);
        assertEquals(1025, saved.path("size").asLong());
        Path file = Path.of(saved.path("saved_to").asText());
        assertEquals(over, Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(file.startsWith(pair.peerRuntime), file::toString);
    }

    @Test
    void fileArrivesWholeAndPrivate() throws IOException {
        Path file = tmp.resolve("config.json");
        Files.writeString(file, "{\"key\": \"value\"}\n");
        JsonNode sent = Pair.sent(pair.sendFromPeer("--file", file.toString()));
        assertEquals("file", sent.path("kind").asText());
        JsonNode got = Json.parse(pair.host.awaitLine(Json.type("file"), Pair.LINE));
        assertEquals("config.json", got.path("name").asText());
        assertEquals(Files.size(file), got.path("size").asLong());
        Path saved = Path.of(got.path("saved_to").asText());
        assertEquals(Files.readString(file), Files.readString(saved));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(saved)));
        assertTrue(saved.startsWith(pair.hostRuntime), saved::toString);
    }

    @Test
    void hostileFileNamesAreSavedInsideTheChannelFolder() throws IOException {
        Path file = tmp.resolve("payload.txt");
        Files.writeString(file, "not your passwd");
        for (String name : new String[] {"../../etc/passwd", "a/b"}) {
            Pair.sent(pair.sendFromHost("--file", file.toString(), "--name", name));
            JsonNode got = Json.parse(pair.peer.awaitLine(Json.type("file"), Pair.LINE));
            Path saved = Path.of(got.path("saved_to").asText());
            assertTrue(saved.normalize().startsWith(pair.peerRuntime.resolve("agent-wormhole")), saved::toString);
            assertFalse(got.path("name").asText().contains("/"), got::toString);
            assertEquals("not your passwd", Files.readString(saved));
        }
    }

    @Test
    void twoFilesOfTheSameNameAreBothKept() throws IOException {
        Path first = tmp.resolve("one").resolve("notes.txt");
        Path second = tmp.resolve("two").resolve("notes.txt");
        Files.createDirectories(first.getParent());
        Files.createDirectories(second.getParent());
        Files.writeString(first, "first");
        Files.writeString(second, "second");
        Pair.sent(pair.sendFromHost("--file", first.toString()));
        Path a = Path.of(Json.parse(pair.peer.awaitLine(Json.type("file"), Pair.LINE)).path("saved_to").asText());
        Pair.sent(pair.sendFromHost("--file", second.toString()));
        Path b = Path.of(Json.parse(pair.peer.awaitLine(Json.type("file"), Pair.LINE)).path("saved_to").asText());
        assertNotEquals(a, b);
        assertEquals("first", Files.readString(a));
        assertEquals("second", Files.readString(b));
    }

    @Test
    void aFileOverTheVersion1LimitStreamsBetweenTwoJavaEnds() throws IOException {
        // A version-1 (Python) peer still gets too_large above ~7.5 MiB (ChannelEngineReceiptTest);
        // two Java ends share the stream feature, so the limit is gone.
        Path big = tmp.resolve("big.bin");
        Files.write(big, new byte[9 * 1024 * 1024]);
        Pair.sent(pair.sendFromHost("--file", big.toString()));
        JsonNode file = Json.parse(pair.peer.awaitLine(Json.type("file"), Pair.LINE));
        assertEquals(9 * 1024 * 1024, file.path("size").asLong(), file::toString);
        assertEquals(9 * 1024 * 1024, Files.size(Path.of(file.path("saved_to").asText())));
        Pair.sent(pair.sendFromHost("still open"));
        assertEquals("still open", Json.parse(pair.peer.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());
    }

    @Test
    void secretsSentWithStdinOrFileNeverReachArgumentsFileNamesOrLogs() throws IOException {
        String secret = "sk-test-" + Long.toHexString(System.nanoTime()) + "-do-not-log";
        Image.Result viaStdin = pair.send(pair.hostRuntime, secret, "--stdin");
        Pair.sent(viaStdin);
        assertEquals(secret, Json.parse(pair.peer.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());
        Path keyFile = tmp.resolve("api-key.txt");
        Files.writeString(keyFile, secret);
        Image.Result viaFile = pair.sendFromHost("--file", keyFile.toString());
        Pair.sent(viaFile);
        pair.peer.awaitLine(Json.type("file"), Pair.LINE);
        for (Image.Result r : new Image.Result[] {viaStdin, viaFile}) {
            assertFalse(r.stdout().contains(secret) || r.stderr().contains(secret), r::toString);
        }
        for (ProcessHandle p : new ProcessHandle[] {pair.host.process().toHandle(), pair.peer.process().toHandle()}) {
            String cmdline = Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline")).replace('\0', ' ');
            assertFalse(cmdline.contains(secret), cmdline);
        }
        String[] words = pair.code.substring(pair.code.indexOf('-') + 1).split("-");
        for (Path runtime : new Path[] {pair.hostRuntime, pair.peerRuntime}) {
            Path root = runtime.resolve("agent-wormhole");
            try (var files = Files.walk(root)) {
                files.filter(p -> !p.equals(root)).forEach(p -> {
                    String name = p.getFileName().toString();
                    assertFalse(name.contains(secret), p::toString);
                    if (p.getParent().equals(root) && name.startsWith("ch-")) {
                        assertTrue(name.matches("ch-[0-9a-f]{16}"), p::toString);
                    } else if (!root.relativize(p).toString().contains("received")) {
                        for (String w : words) {
                            assertFalse(name.contains(w), () -> "a path holds a code word: " + p);
                        }
                    }
                });
            }
        }
    }

    @Test
    void statusListsTheChannelAsConnected() {
        Image.Result r = pair.image.command("status").env("XDG_RUNTIME_DIR", pair.hostRuntime.toString()).run();
        assertEquals(0, r.exitCode(), r::toString);
        JsonNode line = Json.parse(r.stdoutLines().get(0));
        assertEquals("channel", line.path("type").asText());
        assertEquals("host", line.path("role").asText());
        assertEquals("connected", line.path("state").asText());
        assertEquals(Integer.toString(pair.port()), line.path("nameplate").asText());
        assertFalse(r.stdout().contains(pair.code), "status must not print the code");
    }

    @Test
    void sendToAnUnknownCodeFailsWithNoChannel() {
        Image.Result r = pair.image.command("send", "1-apple-basil-cedar", "hi")
                .env("XDG_RUNTIME_DIR", pair.hostRuntime.toString()).timeout(Duration.ofSeconds(20)).run();
        assertEquals(7, r.exitCode(), r::toString);
        assertEquals("no_channel", Json.parse(r.stdoutLines().get(0)).path("error").asText());
    }
}
