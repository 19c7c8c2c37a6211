package wormhole.shell;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import wormhole.shell.cli.Cli;
import wormhole.shell.cli.CommandSpec;
import wormhole.shell.cli.Commands;
import wormhole.shell.cli.ExitCode;
import wormhole.shell.cli.Help;
import wormhole.shell.cli.ParsedArgs;
import wormhole.shell.cli.UsageException;
import wormhole.shell.cli.Version;
import wormhole.shell.command.ChannelCommands;
import wormhole.shell.command.InteractiveCommands;
import wormhole.shell.command.LocalCommands;
import wormhole.shell.command.McpCommand;
import wormhole.shell.command.RelayCommand;
import wormhole.shell.output.Sanitizer;

/** Entry point of the {@code agent-wormhole} command. */
public final class Main {
    private Main() {
    }

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        int status;
        try {
            status = run(Arrays.asList(args), System.getenv(), System.in, System.out, System.err);
        } catch (RuntimeException | Error e) {
            // Last resort: one clear line, never a stack trace on stdout.
            System.out.println("{\"type\":\"status\",\"event\":\"error\",\"error\":\"internal\",\"detail\":\"internal error\"}");
            System.err.println("agent-wormhole: internal error: " + Sanitizer.inline(String.valueOf(e)));
            status = ExitCode.FAILED.status();
        }
        System.out.flush();
        System.exit(status);
    }

    /**
     * Runs one command line on the given streams and environment, without exiting.
     *
     * @return the exit status
     */
    public static int run(List<String> typed, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        List<String> args = typed.isEmpty() ? List.of("shell") : typed;
        if (args.size() == 1 && args.get(0).equals("--version")) {
            out.println("agent-wormhole " + Version.current());
            return ExitCode.OK.status();
        }
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h") || args.get(0).equals("help")) {
            out.print(Help.text());
            return args.isEmpty() ? ExitCode.USAGE.status() : ExitCode.OK.status();
        }
        Cli cli = Cli.of(env, in, out, err);
        Optional<CommandSpec> spec = Commands.find(args.get(0));
        if (spec.isEmpty()) {
            return cli.usage("unknown command '" + args.get(0) + "'; see agent-wormhole --help");
        }
        List<String> rest = args.subList(1, args.size());
        if (rest.contains("--help")) {
            out.print(Help.text(spec.get()));
            return ExitCode.OK.status();
        }
        ParsedArgs parsed;
        try {
            parsed = ParsedArgs.parse(spec.get(), rest);
        } catch (UsageException e) {
            return cli.usage(e.getMessage());
        }
        return switch (spec.get().name()) {
            case "host" -> ChannelCommands.host(cli, parsed);
            case "connect" -> ChannelCommands.connect(cli, parsed);
            case "send" -> LocalCommands.send(cli, parsed);
            case "close" -> LocalCommands.close(cli, parsed);
            case "status" -> LocalCommands.status(cli);
            case "relay" -> RelayCommand.run(cli, parsed);
            case "shell" -> InteractiveCommands.shell(cli, parsed);
            case "setup" -> InteractiveCommands.setup(cli, parsed);
            case "mcp" -> McpCommand.run(cli, parsed);
            default -> cli.usage("'" + spec.get().name() + "' is not available in this build yet");
        };
    }
}
