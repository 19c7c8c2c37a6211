package wormhole.shell.command;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import wormhole.shell.cli.Cli;
import wormhole.shell.cli.ParsedArgs;
import wormhole.shell.cli.Version;
import wormhole.shell.mcp.McpServer;

/** {@code mcp}: the MCP server on stdio, and what {@code setup --mcp} prints to register it. */
public final class McpCommand {
    private McpCommand() {
    }

    public static int run(Cli cli, ParsedArgs args) {
        PrintStream protocol = cli.stdout();
        if (protocol == System.out) {
            // stdout is the protocol's channel: whatever else would print there goes to stderr instead.
            System.setOut(System.err);
        }
        McpServer server = new McpServer(new InteractiveCommands.Support(cli, Optional.empty()), args.value("--relay"),
                cli.stdin(), protocol, cli.stderr(), Version.current());
        return server.run();
    }

    /** The image's launcher, {@code <java.home>/bin/agent-wormhole}, when this runs from an image. */
    public static Optional<Path> launcher() {
        String home = System.getProperty("java.home");
        if (home == null) {
            return Optional.empty();
        }
        Path file = Path.of(home).toAbsolutePath().normalize().resolve("bin").resolve("agent-wormhole");
        return Files.isExecutable(file) ? Optional.of(file) : Optional.empty();
    }

    /** A path as one shell word: as it is when that is safe, else single-quoted. */
    public static String shellWord(String s) {
        return s.matches("[A-Za-z0-9_./+:@%=,-]+") ? s : InteractiveCommands.quote(s);
    }

    /** What {@code setup --mcp} prints: the Claude Code command and the {@code mcpServers} block. */
    public static String setup(Optional<Path> launcher) {
        String command = launcher.map(Path::toString).orElse("agent-wormhole");
        String jsonCommand = command.replace("\\", "\\\\").replace("\"", "\\\"");
        return """
                Register the agent-wormhole MCP server with Claude Code:

                claude mcp add agent-wormhole -- %s mcp

                Other MCP hosts (Claude Desktop, Cursor, ...) take this block in their MCP configuration:

                {
                  "mcpServers": {
                    "agent-wormhole": {
                      "command": "%s",
                      "args": ["mcp"]
                    }
                  }
                }

                Add "--relay", "ws://HOST:4747" to args (or "env": {"AGENT_WORMHOLE_RELAY_URL": "ws://HOST:4747"}) to
                name a default relay. The tools: host, connect, send, receive, status, close.
                """.formatted(shellWord(command), jsonCommand);
    }
}
