package wormhole.shell.command;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import wormhole.api.Wormhole;
import wormhole.shell.cli.Cli;
import wormhole.shell.cli.ExitCode;
import wormhole.shell.cli.ParsedArgs;
import wormhole.shell.cli.UsageException;
import wormhole.shell.cli.Version;
import wormhole.shell.interactive.Shell;
import wormhole.shell.interactive.Terminals;
import wormhole.shell.interactive.ShellInputException;
import wormhole.shell.interactive.ShellSupport;
import wormhole.shell.runtime.ChannelDir;
import wormhole.shell.runtime.RuntimeDir;

/** {@code shell} (also no arguments) and {@code setup}: the commands for people and for installing the skill. */
public final class InteractiveCommands {
    /** The skill, a resource of this module. */
    public static final String SKILL_RESOURCE = "/wormhole/shell/skill/SKILL.md";
    /** Where the image build puts a plain copy of the skill, relative to the image folder. */
    public static final Path SKILL_IN_IMAGE = Path.of("skill", "SKILL.md");

    private InteractiveCommands() {
    }

    public static int shell(Cli cli, ParsedArgs args) {
        return Shell.run(new Support(cli, args.value("--relay")), cli.stdin(), cli.stdout());
    }

    /**
     * Without {@code --print}: when stdout is piped or this runs inside Claude Code, the commands
     * that link the skill into {@code ~/.claude/skills}; at a terminal, how to pipe them.
     */
    public static int setup(Cli cli, ParsedArgs args) {
        if (args.has("--mcp")) {
            if (args.has("--print")) {
                return cli.usage("--mcp and --print exclude each other");
            }
            cli.stdout().print(McpCommand.setup(McpCommand.launcher()));
            cli.stdout().flush();
            return ExitCode.OK.status();
        }
        if (args.has("--print")) {
            cli.stdout().print(skill());
            cli.stdout().flush();
            return ExitCode.OK.status();
        }
        boolean claudeCode = !cli.env().getOrDefault("CLAUDECODE", "").isBlank();
        if (Terminals.onTerminal() && !claudeCode) {
            cli.stdout().print("""
                    agent-wormhole setup installs the agent-wormhole skill for Claude Code. Pipe it to Claude:

                        agent-wormhole setup | claude

                    Claude then links ~/.claude/skills/agent-wormhole/SKILL.md to the skill in this installation,
                    so an upgrade updates the skill. For other agents, agent-wormhole setup --print shows the skill.
                    """);
            return ExitCode.OK.status();
        }
        cli.stdout().print(instructions(installedSkill()));
        cli.stdout().flush();
        return ExitCode.OK.status();
    }

    /** The skill file of the running image, if the image has one: {@code <java.home>/skill/SKILL.md}. */
    public static Optional<Path> installedSkill() {
        String home = System.getProperty("java.home");
        if (home == null) {
            return Optional.empty();
        }
        Path file = Path.of(home).toAbsolutePath().normalize().resolve(SKILL_IN_IMAGE);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    public static String instructions(Optional<Path> skillFile) {
        String target = "\"$HOME/.claude/skills/agent-wormhole/SKILL.md\"";
        String install = skillFile
                .map(f -> "ln -sfn " + quote(f.toString()) + " " + target)
                .orElse("agent-wormhole setup --print > " + target);
        return """
                Please install the agent-wormhole skill for Claude Code. Run exactly these two commands:

                mkdir -p "$HOME/.claude/skills/agent-wormhole"
                %s

                %s
                Then read ~/.claude/skills/agent-wormhole/SKILL.md and tell me, in one sentence, that the skill is
                installed and what it lets you do (hand text, files and secrets to another agent session over an
                end-to-end encrypted channel).
                """.formatted(install, skillFile.isPresent()
                ? "The skill is a symbolic link to the file in the agent-wormhole installation, so upgrading\nagent-wormhole updates the skill.\n"
                : "This agent-wormhole has no skill file of its own (it is not an installed image), so the skill is\ncopied; run agent-wormhole setup again after an upgrade.\n");
    }

    public static String skill() {
        try (InputStream in = InteractiveCommands.class.getResourceAsStream(SKILL_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the skill is missing from this build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("the skill cannot be read from this build", e);
        }
    }

    /** Single-quotes a path for a POSIX shell. */
    public static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** What the shell borrows from the tool: the runtime folder and the scripted commands' rendezvous rules. */
    public static final class Support implements ShellSupport {
        private final Cli cli;
        private final Optional<String> relayFlag;

        Support(Cli cli, Optional<String> relayFlag) {
            this.cli = cli;
            this.relayFlag = relayFlag;
        }

        @Override
        public Folder newFolder() throws IOException {
            ChannelDir dir = RuntimeDir.open(cli.env(), cli.random()).createChannel();
            return new Folder() {
                @Override
                public Path inbox() {
                    return dir.inbox();
                }

                @Override
                public void delete() throws IOException {
                    dir.delete();
                }
            };
        }

        @Override
        public URI directHost(String bind, int port) throws ShellInputException {
            return asShellInput(() -> Rendezvous.directHost(bind, port));
        }

        @Override
        public URI directPeer(String host, String nameplate) throws ShellInputException {
            return asShellInput(() -> Rendezvous.directPeer(host, nameplate));
        }

        @Override
        public boolean relayConfigured() {
            try {
                return relayFlag.isPresent() || Rendezvous.configuredRelay(Optional.empty(), cli.env()).isPresent();
            } catch (UsageException e) {
                return true; // configured, if malformed: hosting through it says what is wrong
            }
        }

        @Override
        public URI relay(Optional<String> flag) throws ShellInputException {
            return asShellInput(() -> Rendezvous.relay(flag.or(() -> relayFlag), cli.env()));
        }

        /** A rendezvous rule of the command line, whose usage errors the shell shows as its own. */
        @FunctionalInterface
        private interface Rule {
            URI apply() throws UsageException;
        }

        private static URI asShellInput(Rule rule) throws ShellInputException {
            try {
                return rule.apply();
            } catch (UsageException e) {
                throw new ShellInputException(e.getMessage());
            }
        }

        @Override
        public Wormhole.Builder wormhole() {
            return Wormhole.builder()
                    .upgrade(!Rendezvous.upgradeOffInConfig(cli.env()))
                    .implementation("agent-wormhole-java/" + Version.current())
                    .random(cli.random().get())
                    .inactivityTimeout(Duration.ofHours(1))
                    .handshakeTimeout(Duration.ofSeconds(30))
                    .connectTimeout(Duration.ofSeconds(15));
        }
    }
}
