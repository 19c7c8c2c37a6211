package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * One {@code agent-wormhole mcp} server of the image, driven by the official TypeScript MCP client:
 * {@code node src/test/mcp-client/mcp-drive.mjs <launcher> mcp}, one JSON step per line (see that
 * script). Each step's outcome is the line with its id; the server's notifications are lines too.
 */
final class McpClient implements AutoCloseable {
    static final Path FIXTURE = Path.of("src", "test", "mcp-client").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STEP = Duration.ofSeconds(90);

    final Image.Running process;
    final Path runtime;
    final JsonNode ready;
    private int next = 1;

    private McpClient(Image.Running process, Path runtime, JsonNode ready) {
        this.process = process;
        this.runtime = runtime;
        this.ready = ready;
    }

    /**
     * Makes sure node and the pinned client are there: skips (never passes) when node or npm is
     * missing, and runs {@code npm ci} in the fixture when its node_modules is missing.
     */
    static Path node() {
        Path node = onPath("node");
        Assumptions.assumeTrue(node != null, "SKIPPED: node is not on the PATH; the MCP client tests need Node.js 18+ and npm");
        if (!Files.isDirectory(FIXTURE.resolve("node_modules").resolve("@modelcontextprotocol").resolve("sdk"))) {
            Path npm = onPath("npm");
            Assumptions.assumeTrue(npm != null, "SKIPPED: npm is not on the PATH; it installs the pinned MCP client (npm ci)");
            Image.Result ci = Image.program(npm, "ci", "--no-audit", "--no-fund").directory(FIXTURE)
                    .timeout(Duration.ofMinutes(5)).run();
            assertEquals(0, ci.exitCode(), () -> "npm ci in " + FIXTURE + " failed:\n" + ci);
        }
        return node;
    }

    private static Path onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Starts a server with its own runtime folder under {@code tmp}. */
    static McpClient start(Image image, Path tmp, String name, String... serverArgs) throws IOException {
        Path node = node();
        Path runtime = Files.createDirectories(tmp.resolve(name + "-rt"));
        String[] args = new String[3 + serverArgs.length];
        args[0] = FIXTURE.resolve("mcp-drive.mjs").toString();
        args[1] = image.launcher().toString();
        args[2] = "mcp";
        System.arraycopy(serverArgs, 0, args, 3, serverArgs.length);
        Image.Running running = Image.program(node, args).directory(FIXTURE).env("XDG_RUNTIME_DIR", runtime.toString())
                .env("AGENT_WORMHOLE_RELAY_URL", null).start();
        try {
            JsonNode ready = Json.parse(running.awaitLine(l -> l.startsWith("{\"ready\""), STEP));
            return new McpClient(running, runtime, ready);
        } catch (RuntimeException | AssertionError e) {
            running.close();
            throw e;
        }
    }

    private JsonNode step(ObjectNode s) {
        int id = next++;
        s.put("id", id);
        process.write(s.toString() + "\n");
        String prefix = "{\"id\":" + id + ",";
        JsonNode out = Json.parse(process.awaitLine(l -> l.startsWith(prefix) || l.startsWith("{\"fatal\""), STEP));
        assertTrue(out.has("id"), out::toString);
        return out;
    }

    /** @return the tools of {@code tools/list} */
    JsonNode listTools() {
        JsonNode r = step(JSON.createObjectNode().put("op", "list"));
        assertTrue(r.path("ok").asBoolean(), r::toString);
        return r.path("result").path("tools");
    }

    /** Calls a tool; the outcome holds {@code ok} and either {@code result} or a JSON-RPC {@code error}. */
    JsonNode call(String tool, String argsJson) {
        ObjectNode s = JSON.createObjectNode().put("op", "call").put("tool", tool);
        s.set("args", Json.parse(argsJson));
        return step(s);
    }

    /** Calls a tool that must succeed; returns its structured content. */
    JsonNode ok(String tool, String argsJson) {
        JsonNode r = call(tool, argsJson);
        assertTrue(r.path("ok").asBoolean(), r::toString);
        assertTrue(!r.path("result").path("isError").asBoolean(), r::toString);
        JsonNode structured = r.path("result").path("structuredContent");
        assertEquals(structured, Json.parse(r.path("result").path("content").get(0).path("text").asText()), r::toString);
        return structured;
    }

    /** Calls a tool that must fail as a tool error of this kind; returns its structured content. */
    JsonNode toolError(String tool, String argsJson, String kind) {
        JsonNode r = call(tool, argsJson);
        assertTrue(r.path("ok").asBoolean(), r::toString);
        assertTrue(r.path("result").path("isError").asBoolean(), r::toString);
        assertEquals(kind, r.path("result").path("structuredContent").path("error").asText(), r::toString);
        return r.path("result").path("structuredContent");
    }

    /** Starts a call, makes sure the server has it, and cancels it. */
    JsonNode abort(String tool, String argsJson) {
        ObjectNode s = JSON.createObjectNode().put("op", "abort").put("tool", tool);
        s.set("args", Json.parse(argsJson));
        return step(s);
    }

    /** Receives until an item matches, within the limit; returns every item received meanwhile. */
    List<JsonNode> receiveUntil(String code, java.util.function.Predicate<JsonNode> match, Duration limit) {
        List<JsonNode> all = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode r = ok("receive", "{\"code\":\"" + code + "\",\"timeout_seconds\":10}");
            r.path("items").forEach(all::add);
            if (all.stream().anyMatch(match)) {
                return all;
            }
        }
        throw new AssertionError("nothing matching arrived within " + limit + "; received: " + all);
    }

    /** @return the notifications the server sent so far */
    List<JsonNode> notifications() {
        return process.linesSoFar().stream().filter(l -> l.startsWith("{\"notification\""))
                .map(l -> Json.parse(l).path("notification")).toList();
    }

    /** Closes the client (the server's stdin ends) and returns how the server exited. */
    JsonNode closeClient() {
        JsonNode r = step(JSON.createObjectNode().put("op", "close"));
        assertTrue(r.path("closed").asBoolean(), r::toString);
        return r;
    }

    /** Asserts that the server exited by itself with 0, is gone, and left no file of a channel. */
    static void assertGone(JsonNode closed, Path runtime) throws Exception {
        assertEquals(0, closed.path("exitCode").asInt(-1), closed::toString);
        assertTrue(closed.path("signal").isNull(), closed::toString);
        var handle = ProcessHandle.of(closed.path("pid").asLong());
        if (handle.isPresent()) {
            handle.get().onExit().get(10, TimeUnit.SECONDS);
        }
        assertEquals(0, Pair.channelFiles(runtime), "files left in " + runtime);
    }

    /** @return the server's stderr, as the closing step reported it */
    static String stderr(JsonNode closed) {
        return closed.path("stderr").asText();
    }

    @Override
    public void close() {
        process.close();
    }
}
