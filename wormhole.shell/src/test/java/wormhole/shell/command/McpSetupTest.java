package wormhole.shell.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import wormhole.shell.Main;

/** {@code setup --mcp}: the Claude Code line and the mcpServers block name the image's launcher. */
class McpSetupTest {
    @Test
    void theClaudeLineAndTheJsonBlockNameTheLauncher() throws Exception {
        String text = McpCommand.setup(Optional.of(Path.of("/opt/agent-wormhole/bin/agent-wormhole")));
        assertTrue(text.contains("\nclaude mcp add agent-wormhole -- /opt/agent-wormhole/bin/agent-wormhole mcp\n"), text);
        JsonNode servers = block(text);
        assertEquals("/opt/agent-wormhole/bin/agent-wormhole", servers.path("command").asText());
        assertEquals("[\"mcp\"]", servers.path("args").toString());
    }

    @Test
    void aPathWithBlanksOrQuotesStaysOneWordAndValidJson() throws Exception {
        String launcher = "/home/o'neil/agent wormhole/bin/agent-wormhole";
        String text = McpCommand.setup(Optional.of(Path.of(launcher)));
        assertTrue(text.contains("claude mcp add agent-wormhole -- '/home/o'\\''neil/agent wormhole/bin/agent-wormhole' mcp"), text);
        assertEquals(launcher, block(text).path("command").asText());
    }

    @Test
    void outsideAnImageItNamesTheCommandOnThePath() throws Exception {
        String text = McpCommand.setup(Optional.empty());
        assertTrue(text.contains("claude mcp add agent-wormhole -- agent-wormhole mcp"), text);
        assertEquals("agent-wormhole", block(text).path("command").asText());
    }

    @Test
    void setupMcpRunsAndExcludesPrint() {
        assertEquals(0, run("setup", "--mcp").status);
        Run both = run("setup", "--mcp", "--print");
        assertEquals(2, both.status);
        assertTrue(both.out.contains("\"error\":\"usage\""), both.out);
        assertTrue(run("--help").out.contains("  agent-wormhole mcp [options]"), "mcp is in --help");
    }

    private static JsonNode block(String text) throws Exception {
        int start = text.indexOf("{\n");
        int end = text.indexOf("\n}\n", start);
        return new ObjectMapper().readTree(text.substring(start, end + 2)).path("mcpServers").path("agent-wormhole");
    }

    private record Run(int status, String out) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(List.of(args), Map.of(), new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8));
    }
}
