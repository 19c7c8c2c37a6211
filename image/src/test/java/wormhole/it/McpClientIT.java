package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code agent-wormhole mcp} servers of the image, each driven by the official TypeScript MCP
 * client ({@code @modelcontextprotocol/sdk}, pinned in src/test/mcp-client): tools listed, a channel
 * hosted on one and joined from the other (directly, and through a relay process), text and files
 * each way, failures as tool errors, cancellation, and a clean exit when stdin closes.
 */
@Timeout(240)
class McpClientIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SECRET = "sk-live-7f3a9c the staging password";

    @TempDir
    Path tmp;

    @BeforeAll
    static void clientInstalled() {
        McpClient.node();
    }

    @Test
    void theOfficialClientListsEveryToolWithItsSchema() throws Exception {
        try (McpClient a = McpClient.start(Image.locate(), tmp, "a")) {
            assertEquals("agent-wormhole", a.ready.path("server").path("name").asText(), a.ready::toString);
            assertEquals(Image.expectedVersion(), a.ready.path("server").path("version").asText());
            List<String> names = new ArrayList<>();
            for (JsonNode t : a.listTools()) {
                names.add(t.path("name").asText());
                assertEquals("object", t.path("inputSchema").path("type").asText(), t::toString);
            }
            assertEquals(List.of("host", "connect", "send", "receive", "status", "close"), names);
            McpClient.assertGone(a.closeClient(), a.runtime);
        }
    }

    @Test
    void setupMcpNamesThisImagesLauncher() {
        Image image = Image.locate();
        Image.Result r = image.run("setup", "--mcp");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains("\nclaude mcp add agent-wormhole -- " + image.launcher() + " mcp\n"), r::toString);
        String block = r.stdout().substring(r.stdout().indexOf("{\n"), r.stdout().indexOf("\n}\n") + 2);
        JsonNode server = Json.parse(block).path("mcpServers").path("agent-wormhole");
        assertEquals(image.launcher().toString(), server.path("command").asText(), block);
        assertEquals("[\"mcp\"]", server.path("args").toString(), block);
    }

    @Test
    void directChannelCarriesTextAndFilesEachWayAndCloseEndsBoth() throws Exception {
        Image image = Image.locate();
        try (McpClient a = McpClient.start(image, tmp, "a"); McpClient b = McpClient.start(image, tmp, "b")) {
            JsonNode hosted = a.ok("host", "{\"direct\":true,\"bind\":\"127.0.0.1\"}");
            String code = hosted.path("code").asText();
            assertEquals("direct", hosted.path("mode").asText());
            assertEquals(List.of(code + "@127.0.0.1"), List.of(hosted.path("connect").get(0).asText()));
            // not connected yet: send is a tool error, not a crash
            a.toolError("send", "{\"code\":\"" + code + "\",\"text\":\"too early\"}", "not_connected");

            JsonNode joined = b.ok("connect", "{\"code\":\"" + code + "@127.0.0.1\"}");
            assertEquals("connected", joined.path("state").asText(), joined::toString);
            String verifier = joined.path("verifier").asText();
            assertTrue(verifier.matches("\\d{4} \\d{4} \\d{4} \\d{4}"), verifier);
            JsonNode connected = first(a.receiveUntil(code, event("connected"), WAIT), event("connected"));
            assertEquals(verifier, connected.path("verifier").asText());

            exchange(a, b, code);

            JsonNode closed = a.ok("close", "{\"code\":\"" + code + "\"}");
            assertTrue(closed.path("closed").asBoolean(), closed::toString);
            b.receiveUntil(code, event("closed"), WAIT);
            assertEquals(0, a.ok("status", "{}").path("channels").size());
            assertEquals(0, b.ok("status", "{}").path("channels").size(), "the ending was received, so the channel is gone");
            assertEquals(0, Pair.channelFiles(a.runtime));
            assertEquals(0, Pair.channelFiles(b.runtime));

            JsonNode aExit = a.closeClient();
            JsonNode bExit = b.closeClient();
            McpClient.assertGone(aExit, a.runtime);
            McpClient.assertGone(bExit, b.runtime);
            for (JsonNode exit : List.of(aExit, bExit)) {
                String err = McpClient.stderr(exit);
                assertFalse(err.contains(code) || err.contains(SECRET) || err.contains("apple"), err);
            }
        }
    }

    @Test
    void relayChannelCarriesTextAndFilesAndStdinClosedSaysGoodbye() throws Exception {
        Image image = Image.locate();
        try (RelayProcess relay = RelayProcess.start(image);
                McpClient a = McpClient.start(image, tmp, "a", "--relay", relay.url());
                McpClient b = McpClient.start(image, tmp, "b")) {
            JsonNode hosted = a.ok("host", "{}");
            String code = hosted.path("code").asText();
            assertEquals("relay", hosted.path("mode").asText());
            assertFalse(hosted.has("connect"), hosted::toString);
            JsonNode joined = b.ok("connect", "{\"code\":\"" + code + "\",\"relay\":\"" + relay.url() + "\"}");
            JsonNode connected = first(a.receiveUntil(code, event("connected"), WAIT), event("connected"));
            assertEquals(joined.path("verifier").asText(), connected.path("verifier").asText());

            exchange(a, b, code);

            // the host's stdin closes with the channel open: it says goodbye, deletes its files and exits 0
            JsonNode aExit = a.closeClient();
            McpClient.assertGone(aExit, a.runtime);
            b.receiveUntil(code, event("closed"), WAIT);
            McpClient.assertGone(b.closeClient(), b.runtime);
            assertFalse(McpClient.stderr(aExit).contains(SECRET), McpClient.stderr(aExit));
        }
    }

    @Test
    void failuresAreToolErrorsAndTheServerGoesOn() throws Exception {
        Image image = Image.locate();
        try (McpClient a = McpClient.start(image, tmp, "a"); McpClient b = McpClient.start(image, tmp, "b")) {
            String code = a.ok("host", "{\"direct\":true,\"bind\":\"127.0.0.1\"}").path("code").asText();
            String[] parts = code.split("-");
            String wrong = parts[0] + "-" + (parts[1].equals("zulu") ? "yankee" : "zulu") + "-" + parts[2] + "-" + parts[3];
            JsonNode failed = b.toolError("connect", "{\"code\":\"" + wrong + "@127.0.0.1\"}", "handshake_failed");
            assertFalse(failed.path("detail").asText().contains(parts[1]), failed::toString);
            a.receiveUntil(code, event("handshake_failed"), WAIT);
            assertEquals(0, a.ok("status", "{}").path("channels").size());

            // nothing listens on that port any more: unreachable
            b.toolError("connect", "{\"code\":\"" + code + "@127.0.0.1\"}", "connection_failed");
            b.toolError("send", "{\"code\":\"" + code + "\",\"text\":\"x\"}", "no_channel");
            // No relay named or configured: host hosts directly, as the command line's host does.
            JsonNode plain = b.ok("host", "{\"bind\":\"127.0.0.1\"}");
            assertEquals("direct", plain.path("mode").asText(), plain::toString);
            assertTrue(plain.path("note").asText().contains("no relay configured"), plain::toString);
            assertEquals(plain.path("code").asText() + "@127.0.0.1", plain.path("connect").get(0).asText(), plain::toString);
            b.ok("close", "{\"code\":\"" + plain.path("code").asText() + "\"}");
            b.toolError("host", "{\"relay\":\"ws://127.0.0.1:9\",\"port\":1}", "usage"); // port goes with direct
            JsonNode badType = b.call("connect", "{\"code\":7}");
            assertFalse(badType.path("ok").asBoolean(), badType::toString);
            assertEquals(-32602, badType.path("error").path("code").asInt(), badType::toString);
            JsonNode unknown = b.call("teleport", "{}");
            assertEquals(-32602, unknown.path("error").path("code").asInt(), unknown::toString);
            assertEquals(0, b.ok("status", "{}").path("channels").size());
            McpClient.assertGone(a.closeClient(), a.runtime);
            McpClient.assertGone(b.closeClient(), b.runtime);
        }
    }

    @Test
    void aCancelledReceiveTakesNothing() throws Exception {
        Image image = Image.locate();
        try (McpClient a = McpClient.start(image, tmp, "a"); McpClient b = McpClient.start(image, tmp, "b")) {
            String code = a.ok("host", "{\"direct\":true,\"bind\":\"127.0.0.1\"}").path("code").asText();
            JsonNode aborted = a.abort("receive", "{\"code\":\"" + code + "\",\"timeout_seconds\":600}");
            assertTrue(aborted.path("aborted").asBoolean(), aborted::toString);
            b.ok("connect", "{\"code\":\"" + code + "@127.0.0.1\"}");
            b.ok("send", "{\"code\":\"" + code + "\",\"text\":\"after the cancel\"}");
            // had the cancelled receive still been waiting, it would have taken the connected event
            List<JsonNode> items = a.receiveUntil(code, text("after the cancel"), WAIT);
            assertTrue(items.stream().anyMatch(event("connected")), items::toString);
            McpClient.assertGone(a.closeClient(), a.runtime);
            McpClient.assertGone(b.closeClient(), b.runtime);
        }
    }

    /** A text and a file from a to b, and from b to a, each confirmed, received whole, and announced. */
    private void exchange(McpClient a, McpClient b, String code) throws Exception {
        String c = "{\"code\":\"" + code + "\"";
        JsonNode sent = a.ok("send", c + ",\"text\":\"" + SECRET + "\"}");
        assertEquals("text", sent.path("kind").asText());
        assertTrue(sent.path("confirmed").asBoolean(), sent::toString);
        b.receiveUntil(code, text(SECRET), WAIT);

        b.ok("send", c + ",\"text\":\"got it\"}");
        a.receiveUntil(code, text("got it"), WAIT);

        // a long text is saved to a file, and receive gives it inline as well
        String longText = "line of a long text\n".repeat(300);
        b.ok("send", c + ",\"text\":" + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(longText) + "}");
        JsonNode longItem = first(a.receiveUntil(code, text(longText), WAIT), text(longText));
        assertEquals(longText.length(), longItem.path("size").asLong());
        assertEquals(longText, Files.readString(Path.of(longItem.path("saved_to").asText())));

        Path fromA = Files.writeString(tmp.resolve("from-a.json"), "{\"schema\":\"in main\"}\n");
        JsonNode fileSent = a.ok("send", c + ",\"file\":\"" + fromA + "\"}");
        assertEquals("file", fileSent.path("kind").asText());
        assertEquals(Files.size(fromA), fileSent.path("size").asLong());
        JsonNode arrived = first(b.receiveUntil(code, file("from-a.json"), WAIT), file("from-a.json"));
        Path saved = Path.of(arrived.path("saved_to").asText());
        assertTrue(saved.startsWith(b.runtime), saved::toString);
        assertEquals(Files.readString(fromA), Files.readString(saved));

        Path fromB = Files.write(tmp.resolve("from-b.bin"), new byte[] {0, 1, 2, (byte) 0xff, 10, 13});
        b.ok("send", c + ",\"file\":\"" + fromB + "\",\"name\":\"renamed.bin\"}");
        JsonNode back = first(a.receiveUntil(code, file("renamed.bin"), WAIT), file("renamed.bin"));
        assertEquals(6, back.path("size").asLong());
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(fromB), Files.readAllBytes(Path.of(back.path("saved_to").asText()))));

        // arrivals were announced as notifications, without the text
        List<JsonNode> notes = b.notifications();
        assertTrue(notes.stream().anyMatch(n -> n.path("params").path("type").asText().equals("text")
                && n.path("params").path("code").asText().equals(code)), notes::toString);
        assertTrue(notes.stream().anyMatch(n -> n.path("params").path("name").asText().equals("from-a.json")), notes::toString);
        assertFalse(notes.toString().contains(SECRET), notes::toString);
    }

    private static java.util.function.Predicate<JsonNode> event(String name) {
        return i -> i.path("type").asText().equals("status") && i.path("event").asText().equals(name);
    }

    private static java.util.function.Predicate<JsonNode> text(String body) {
        return i -> i.path("type").asText().equals("text") && i.path("body").asText().equals(body);
    }

    private static java.util.function.Predicate<JsonNode> file(String name) {
        return i -> i.path("type").asText().equals("file") && i.path("name").asText().equals(name);
    }

    private static JsonNode first(List<JsonNode> items, java.util.function.Predicate<JsonNode> match) {
        return items.stream().filter(match).findFirst().orElseThrow();
    }
}
