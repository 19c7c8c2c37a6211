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

    @Test
    void aReusedIdIsRefusedACancelledCallIsNeverAnsweredAndCallsInFlightAreBounded() throws Exception {
        Path runtime = Files.createDirectories(tmp.resolve("rt"));
        try (Image.Running mcp = start(runtime)) {
            mcp.write(call(2, "host", "{\"direct\":true,\"bind\":\"127.0.0.1\"}"));
            String code = Json.parse(next(mcp).path("result").path("content").get(0).path("text").asText()).path("code").asText();
            String wait = "{\"code\":\"" + code + "\",\"timeout_seconds\":600}";
            for (int id = 100; id < 164; id++) {
                mcp.write(call(id, "receive", wait));
            }
            // 64 receives wait; the 65th call and a second call with a running call's id are refused
            mcp.write(call(164, "status", "{}"));
            JsonNode full = next(mcp);
            assertEquals(164, full.path("id").asInt(), full::toString);
            assertEquals(-32603, full.path("error").path("code").asInt(), full::toString);
            for (int id = 100; id < 164; id++) {
                mcp.write("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":" + id + "}}\n");
            }
            // the slots come back once the cancelled calls are gone; then the same id twice
            JsonNode status = null;
            long deadline = System.nanoTime() + LINE.toNanos();
            for (int attempt = 0; status == null && System.nanoTime() < deadline; attempt++) {
                mcp.write(call(1000 + attempt, "status", "{}"));
                JsonNode r = next(mcp);
                if (!r.has("error")) {
                    status = r;
                }
            }
            assertTrue(status != null, "the cancelled calls never gave their slots back");
            mcp.write(call(300, "receive", wait));
            mcp.write(call(300, "receive", wait));
            JsonNode reused = next(mcp);
            assertEquals(300, reused.path("id").asInt(), reused::toString);
            assertEquals(-32600, reused.path("error").path("code").asInt(), reused::toString);
            mcp.write("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":300}}\n");

            mcp.closeStdin();
            assertEquals(0, mcp.waitFor(LINE));
            // no answer ever came for a cancelled call: the channel's ending did not wake them up
            for (String line : mcp.linesSoFar()) {
                int id = Json.parse(line).path("id").asInt(-1);
                assertFalse(id >= 100 && id < 164, "a cancelled call was answered: " + line);
            }
            assertEquals(1, mcp.linesSoFar().stream().filter(l -> l.contains("\"id\":300,")).count(), mcp.linesSoFar()::toString);
            assertEquals(0, Pair.channelFiles(runtime));
        }
    }

    @Test
    void sigtermClosesEveryChannelAndDeletesItsFiles() throws Exception {
        Path runtime = Files.createDirectories(tmp.resolve("rt"));
        try (Image.Running mcp = start(runtime)) {
            mcp.write(call(2, "host", "{\"direct\":true,\"bind\":\"127.0.0.1\"}"));
            assertFalse(next(mcp).path("result").path("isError").asBoolean());
            assertTrue(Pair.channelFiles(runtime) > 0, "the channel has its folder");
            Image.Result kill = Image.program(Path.of("/bin/kill"), "-TERM", Long.toString(mcp.process().pid())).run();
            assertEquals(0, kill.exitCode(), kill::toString);
            mcp.waitFor(LINE);
            assertEquals(0, Pair.channelFiles(runtime));
        }
    }

    private static Image.Running start(Path runtime) {
        Image.Running mcp = Image.locate().command("mcp").env("XDG_RUNTIME_DIR", runtime.toString()).start();
        mcp.write("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"0\"}}}\n");
        assertEquals("2025-11-25", next(mcp).path("result").path("protocolVersion").asText());
        mcp.write("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n");
        return mcp;
    }

    private static String call(int id, String tool, String args) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                + "\",\"arguments\":" + args + "}}\n";
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
