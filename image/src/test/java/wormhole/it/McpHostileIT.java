package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile client on the raw stdio of the image's {@code agent-wormhole mcp}: malformed JSON, a
 * batch, deep nesting, a message over the 32 MiB limit, wrong argument types and an unknown tool are
 * each answered with a JSON-RPC error, and the server goes on. Stdout carries JSON-RPC messages only,
 * and nothing the client sent reaches stderr.
 */
@Timeout(120)
class McpHostileIT {
    private static final Duration LINE = Duration.ofSeconds(30);
    private static final String SECRET = "hunter2-the-secret";

    @TempDir
    Path tmp;

    @Test
    void everyBadMessageGetsAJsonRpcErrorAndTheServerGoesOn() throws Exception {
        Path runtime = Files.createDirectories(tmp.resolve("rt"));
        try (Image.Running mcp = Image.locate().command("mcp").env("XDG_RUNTIME_DIR", runtime.toString()).start()) {
            mcp.write("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                    + "\"capabilities\":{},\"clientInfo\":{\"name\":\"hostile\",\"version\":\"0\"}}}\n");
            assertEquals("2025-06-18", next(mcp).path("result").path("protocolVersion").asText());
            mcp.write("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n");

            mcp.write("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"send\",\"arguments\":{\"text\":\""
                    + SECRET + "\"\n");
            assertError(next(mcp), -32700);
            mcp.write("[{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}]\n");
            assertError(next(mcp), -32600);
            mcp.write("[".repeat(5000) + "]".repeat(5000) + "\n");
            JsonNode deep = next(mcp);
            assertTrue(deep.path("error").path("code").asInt() == -32700 || deep.path("error").path("code").asInt() == -32600, deep::toString);
            mcp.write("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"receive\",\"arguments\":{\"code\":[1]}}}\n");
            assertError(next(mcp), -32602);
            mcp.write("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"rm -rf\",\"arguments\":{}}}\n");
            assertError(next(mcp), -32602);
            mcp.write("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"sampling/createMessage\"}\n");
            assertError(next(mcp), -32601);

            // 33 MiB in one line: over the limit, skipped without being held, answered, and the server goes on
            String chunk = "x".repeat(1024 * 1024);
            mcp.write("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\",\"params\":{\"pad\":\"");
            for (int i = 0; i < 33; i++) {
                mcp.write(chunk);
            }
            mcp.write("\"}}\n");
            JsonNode tooLarge = next(mcp);
            assertError(tooLarge, -32600);
            assertTrue(tooLarge.path("error").path("message").asText().contains("too large"), tooLarge::toString);

            mcp.write("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"ping\"}\n");
            JsonNode pong = next(mcp);
            assertEquals(8, pong.path("id").asInt(), pong::toString);
            assertEquals("{}", pong.path("result").toString());

            mcp.closeStdin();
            assertEquals(0, mcp.waitFor(LINE));
            for (String line : mcp.linesSoFar()) {
                assertEquals("2.0", Json.parse(line).path("jsonrpc").asText(), "stdout carries JSON-RPC only: " + line);
                assertFalse(line.contains(SECRET), line);
            }
            String err = mcp.stderr(LINE);
            assertFalse(err.contains(SECRET), err);
            assertEquals(0, Pair.channelFiles(runtime));
        }
    }

    private static JsonNode next(Image.Running mcp) {
        return Json.parse(mcp.nextLine(LINE).orElseThrow(() -> new AssertionError("the server's stdout ended")));
    }

    private static void assertError(JsonNode r, int code) {
        assertEquals("2.0", r.path("jsonrpc").asText(), r::toString);
        assertEquals(code, r.path("error").path("code").asInt(), r::toString);
        assertFalse(r.toString().contains(SECRET), r::toString);
    }
}
