package wormhole.shell.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wormhole.api.Wormhole;
import wormhole.shell.interactive.ShellInputException;
import wormhole.shell.interactive.ShellSupport;

/**
 * The MCP server's protocol, tool schemas and error paths, in this JVM on in-memory streams. No
 * transport is on this module's test path, so a channel cannot open here; whole channels are
 * driven by the official TypeScript client in the image's McpClientIT.
 */
class McpServerTest {
    @TempDir
    Path tmp;
    private final AtomicInteger folders = new AtomicInteger();
    private McpDriver mcp;

    private final ShellSupport support = new ShellSupport() {
        @Override
        public Folder newFolder() throws IOException {
            Path dir = Files.createDirectory(tmp.resolve("ch-" + folders.incrementAndGet()));
            return new Folder() {
                @Override
                public Path inbox() {
                    return dir;
                }

                @Override
                public void delete() throws IOException {
                    Files.deleteIfExists(dir);
                }
            };
        }

        @Override
        public URI directHost(String bind, int port) {
            return URI.create("tcp://" + bind + ":" + port);
        }

        @Override
        public URI directPeer(String host, String nameplate) {
            return URI.create("tcp://" + host + ":" + nameplate);
        }

        @Override
        public URI relay(Optional<String> flag) throws ShellInputException {
            return URI.create(flag.orElseThrow(() -> new ShellInputException("no relay configured")));
        }

        @Override
        public Wormhole.Builder wormhole() {
            return Wormhole.builder();
        }
    };

    @BeforeEach
    void start() throws Exception {
        mcp = new McpDriver(support, 64 * 1024);
        JsonNode init = mcp.request(0, "initialize",
                "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}");
        assertEquals("2025-06-18", init.path("result").path("protocolVersion").asText(), init::toString);
        mcp.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    }

    @AfterEach
    void stop() {
        mcp.close();
    }

    @Test
    void everyLineIsPrintableAndReadsBackExactly() throws Exception {
        String id = "a\u009b31mb\u001b[2Jc\u007fd\u202ee\u2028f\u200bg";
        mcp.send("{\"jsonrpc\":\"2.0\",\"id\":" + mcp.json.writeValueAsString(id) + ",\"method\":\"ping\"}");
        String line = mcp.nextLine();
        assertTrue(line.chars().allMatch(c -> c >= 0x20 && c < 0x7f), line);
        assertTrue(line.contains("\\u009B31m") && line.contains("\\u202E") && line.contains("\\u2028"), line);
        assertEquals(id, mcp.json.readTree(line).path("id").asText());
    }

    @Test
    void initializeNegotiatesARevisionAndNamesTheServer() throws Exception {
        JsonNode newest = mcp.request(1, "initialize", "{\"protocolVersion\":\"2099-01-01\",\"capabilities\":{}}").path("result");
        assertEquals(McpServer.PROTOCOL_VERSIONS.get(0), newest.path("protocolVersion").asText());
        assertEquals("agent-wormhole", newest.path("serverInfo").path("name").asText());
        assertEquals("test", newest.path("serverInfo").path("version").asText());
        assertFalse(newest.path("capabilities").path("tools").isMissingNode(), newest::toString);
        assertEquals(McpServer.EVENT_NOTIFICATION,
                newest.path("capabilities").path("experimental").path("agent-wormhole/events").path("notification").asText());
        assertEquals("{}", mcp.request(2, "ping", null).path("result").toString());
    }

    @Test
    void toolsListGivesEveryToolWithItsSchema() throws Exception {
        JsonNode tools = mcp.request(1, "tools/list", "{}").path("result").path("tools");
        Map<String, List<String>> required = Map.of("host", List.of(), "connect", List.of("code"), "send", List.of("code"),
                "receive", List.of("code"), "status", List.of(), "close", List.of("code"));
        Map<String, List<String>> properties = Map.of("host", List.of("direct", "relay", "port", "bind"),
                "connect", List.of("code", "relay"), "send", List.of("code", "text", "file", "name", "timeout_seconds"),
                "receive", List.of("code", "timeout_seconds"), "status", List.of(), "close", List.of("code"));
        List<String> names = new ArrayList<>();
        for (JsonNode t : tools) {
            String name = t.path("name").asText();
            names.add(name);
            JsonNode schema = t.path("inputSchema");
            assertEquals("object", schema.path("type").asText(), name);
            assertFalse(schema.path("additionalProperties").asBoolean(true), name);
            List<String> req = new ArrayList<>();
            schema.path("required").forEach(r -> req.add(r.asText()));
            assertEquals(required.get(name), req, name);
            List<String> props = new ArrayList<>();
            schema.path("properties").fieldNames().forEachRemaining(props::add);
            assertEquals(properties.get(name), props, name);
            schema.path("properties").forEach(p -> assertTrue(p.path("description").asText().length() > 5, name));
            assertTrue(t.path("description").asText().length() > 20, name);
            JsonNode hints = t.path("annotations");
            assertEquals(name.equals("status") || name.equals("receive"), hints.path("readOnlyHint").asBoolean(), name);
            assertEquals(name.equals("close"), hints.path("destructiveHint").asBoolean(false), name);
        }
        assertEquals(List.of("host", "connect", "send", "receive", "status", "close"), names);
    }

    @Test
    void argumentsThatBreakTheSchemaAreInvalidParams() throws Exception {
        String[][] calls = {
                {"connect", "{}", "needs the argument 'code'"},
                {"connect", "{\"code\":42}", "'code' of connect must be a string"},
                {"host", "{\"direct\":\"yes\"}", "'direct' of host must be a boolean"},
                {"host", "{\"direct\":true,\"port\":70000}", "'port' of host must be from 0 to 65535"},
                {"host", "{\"direct\":true,\"port\":1.5}", "'port' of host must be an integer"},
                {"receive", "{\"code\":\"1-a-b-c\",\"timeout_seconds\":\"soon\"}", "must be a number"},
                {"receive", "{\"code\":\"1-a-b-c\",\"timeout_seconds\":-1}", "must be from 0 to 600"},
                {"send", "{\"code\":\"1-a-b-c\",\"txt\":\"hi\"}", "send takes no argument 'txt'"},
                {"status", "[]", "must be an object"},
                {"frobnicate", "{}", "Unknown tool: frobnicate"},
        };
        int id = 10;
        for (String[] c : calls) {
            JsonNode r = mcp.call(id++, c[0], c[1]);
            assertEquals(RpcException.INVALID_PARAMS, r.path("error").path("code").asInt(), r::toString);
            assertTrue(r.path("error").path("message").asText().contains(c[2]), r::toString);
        }
        JsonNode noName = mcp.request(id, "tools/call", "{\"arguments\":{}}");
        assertEquals(RpcException.INVALID_PARAMS, noName.path("error").path("code").asInt(), noName::toString);
    }

    @Test
    void failuresAreToolErrorsWithTheirKind() throws Exception {
        assertToolError(mcp.call(1, "send", "{\"code\":\"4242-apple-banana-cherry\",\"text\":\"x\"}"), "no_channel");
        assertToolError(mcp.call(2, "receive", "{\"code\":\"4242-apple-banana-cherry\",\"timeout_seconds\":0}"), "no_channel");
        assertToolError(mcp.call(3, "close", "{\"code\":\"4242-apple-banana-cherry@127.0.0.1\"}"), "no_channel");
        assertToolError(mcp.call(4, "host", "{}"), "usage");
        assertToolError(mcp.call(5, "host", "{\"port\":4000}"), "usage");
        assertToolError(mcp.call(6, "connect", "{\"code\":\"not a code!\"}"), "usage");
        assertToolError(mcp.call(7, "connect", "{\"code\":\"4242-apple-banana-cherry@127.0.0.1\",\"relay\":\"ws://x:1\"}"), "usage");
        assertToolError(mcp.call(8, "connect", "{\"code\":\"apple-banana-cherry@127.0.0.1\"}"), "usage");
        // no transport serves tcp:// on this test path: hosting fails, and leaves no folder behind
        assertToolError(mcp.call(9, "host", "{\"direct\":true,\"bind\":\"127.0.0.1\"}"), "connection_failed");
        assertEquals(1, folders.get());
        try (var s = Files.list(tmp)) {
            assertEquals(0, s.count());
        }
        JsonNode status = mcp.call(10, "status", "{}").path("result");
        assertFalse(status.path("isError").asBoolean(), status::toString);
        assertEquals(0, status.path("structuredContent").path("channels").size(), status::toString);
        assertEquals(status.path("structuredContent"), mcp.json.readTree(status.path("content").get(0).path("text").asText()));
    }

    private static void assertToolError(JsonNode response, String kind) throws Exception {
        JsonNode result = response.path("result");
        assertTrue(result.path("isError").asBoolean(), response::toString);
        assertEquals(kind, result.path("structuredContent").path("error").asText(), response::toString);
        assertEquals("text", result.path("content").get(0).path("type").asText(), response::toString);
        assertTrue(result.path("content").get(0).path("text").asText().contains(kind), response::toString);
    }

    @Test
    void aHostileClientGetsJsonRpcErrorsAndTheServerGoesOn() throws Exception {
        mcp.send("{not json at all, secret-in-here");
        assertRpcError(mcp.next(), RpcException.PARSE_ERROR, true);
        mcp.send("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]");
        assertRpcError(mcp.next(), RpcException.INVALID_REQUEST, true);
        mcp.send("\"just a string\"");
        assertRpcError(mcp.next(), RpcException.INVALID_REQUEST, true);
        mcp.send("{\"id\":3,\"method\":\"ping\"}");
        assertRpcError(mcp.next(), RpcException.INVALID_REQUEST, false);
        mcp.send("[".repeat(5000) + "]".repeat(5000));
        assertRpcError(mcp.next(), RpcException.PARSE_ERROR, true);
        mcp.send("{\"jsonrpc\":\"2.0\",\"id\":{\"x\":1},\"method\":\"ping\"}");
        assertRpcError(mcp.next(), RpcException.INVALID_REQUEST, true);
        mcp.send("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":7}");
        assertRpcError(mcp.next(), RpcException.INVALID_REQUEST, false);
        mcp.send("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/list\",\"params\":[1,2]}");
        assertRpcError(mcp.next(), RpcException.INVALID_PARAMS, false);
        assertRpcError(mcp.request(6, "resources/list", "{}"), RpcException.METHOD_NOT_FOUND, false);
        // a message over the limit (64 KiB here) is skipped without being held, then the server goes on
        byte[] huge = new byte[1024 * 1024];
        Arrays.fill(huge, (byte) 'x');
        mcp.sendBytes("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\",\"params\":{\"p\":\"".getBytes(StandardCharsets.UTF_8));
        mcp.sendBytes(huge);
        mcp.send("\"}}");
        JsonNode tooLarge = mcp.next();
        assertRpcError(tooLarge, RpcException.INVALID_REQUEST, true);
        assertTrue(tooLarge.path("error").path("message").asText().contains("too large"), tooLarge::toString);
        // notifications get no answer, known or not; a response from the client is ignored
        mcp.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/whatever\",\"params\":{}}");
        mcp.send("{\"jsonrpc\":\"2.0\",\"id\":99,\"result\":{}}");
        assertEquals(8, mcp.request(8, "ping", null).path("id").asInt());
        assertEquals("", mcp.stderr.toString(StandardCharsets.UTF_8));
    }

    private static void assertRpcError(JsonNode r, int code, boolean nullId) {
        assertEquals("2.0", r.path("jsonrpc").asText(), r::toString);
        assertEquals(code, r.path("error").path("code").asInt(), r::toString);
        assertFalse(r.path("error").path("message").asText().contains("secret"), r::toString);
        if (nullId) {
            assertTrue(r.path("id").isNull(), r::toString);
        }
    }

    @Test
    void stdinClosedEndsTheServerWithStatusZero() throws Exception {
        List<JsonNode> rest = mcp.endInput();
        assertEquals(List.of(), rest);
        assertEquals(0, mcp.exit.get().intValue());
    }
}
