package wormhole.shell.command;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import wormhole.api.ChannelCode;
import wormhole.api.Role;
import wormhole.api.Wormhole;
import wormhole.shell.cli.Cli;
import wormhole.shell.cli.ExitCode;
import wormhole.shell.cli.ParsedArgs;
import wormhole.shell.cli.UsageException;
import wormhole.shell.cli.Version;
import wormhole.shell.net.HostAddresses;
import wormhole.shell.runtime.RuntimeDir;

/** {@code host} and {@code connect}: the long-running commands that own a channel. */
public final class ChannelCommands {
    public static final String CODE_ENV = "AGENT_WORMHOLE_CODE";

    private ChannelCommands() {
    }

    public static int host(Cli cli, ParsedArgs args) {
        try {
            Wormhole.Builder builder = builder(cli, args).codeWords(args.intValue("--words", ChannelCode.DEFAULT_WORDS, 2, 16));
            boolean v1Code = args.has("--v1-code");
            Optional<URI> relay = args.has("--direct") ? Optional.empty() : Rendezvous.configuredRelay(args.value("--relay"), cli.env());
            boolean direct = relay.isEmpty();
            if (!args.has("--direct") && direct && !v1Code) {
                cli.stderr().println("agent-wormhole: no relay configured (--relay, " + Rendezvous.RELAY_ENV + " or \"relay_url\" in "
                        + Rendezvous.configFile(cli.env()) + "): hosting directly; the peer connects with one of the "
                        + "CODE@ADDRESS strings of the channel line, from a machine that can reach this one");
            }
            if (!direct && (args.has("--port") || args.has("--bind"))) {
                throw new UsageException("--port and --bind go with --direct");
            }
            if (v1Code && args.has("--direct")) {
                throw new UsageException("--v1-code is for relays: a direct code always starts with the port");
            }
            if (v1Code && direct) {
                Rendezvous.relay(args.value("--relay"), cli.env()); // says that no relay is configured
            }
            if (v1Code && args.has("--words") && args.intValue("--words", ChannelCode.DEFAULT_WORDS, 2, 16) != ChannelCode.DEFAULT_WORDS) {
                throw new UsageException("a --v1-code code has exactly " + ChannelCode.DEFAULT_WORDS + " words");
            }
            String bind = args.value("--bind").orElse("0.0.0.0");
            URI rendezvous = direct ? Rendezvous.directHost(bind, args.intValue("--port", 0, 0, 65535)) : relay.get();
            if (v1Code) {
                cli.stderr().println("agent-wormhole: warning: --v1-code makes a legacy code with no number, as Python 0.1.x "
                        + "does; the relay sees the whole code and could learn the password");
            }
            ChannelRunner runner = new ChannelRunner(cli.json(), cli.out(), cli.stderr(), RuntimeDir.open(cli.env(), cli.random()),
                    Role.HOST, direct ? "direct" : "relay").connectVia(direct ? HostAddresses.of(bind) : List.of());
            return runner.run(builder, (wormhole, listener) -> v1Code
                    ? wormhole.hostLegacy(rendezvous, listener)
                    : wormhole.host(rendezvous, listener));
        } catch (UsageException e) {
            return cli.usage(e.getMessage());
        } catch (IOException e) {
            return cli.fail(ExitCode.FAILED, "io", "the runtime folder is unusable: " + e.getMessage());
        }
    }

    public static int connect(Cli cli, ParsedArgs args) {
        try {
            String typed = codeText(cli, args);
            int at = typed.lastIndexOf('@');
            ChannelCode code = parse(at < 0 ? typed : typed.substring(0, at));
            URI rendezvous;
            String mode;
            if (at >= 0) {
                if (code.legacy()) {
                    throw new UsageException("a direct code starts with the host's port number");
                }
                rendezvous = Rendezvous.directPeer(typed.substring(at + 1), code.nameplate());
                mode = "direct";
            } else {
                rendezvous = Rendezvous.relay(args.value("--relay"), cli.env());
                mode = "relay";
                if (code.legacy()) {
                    cli.stderr().println("agent-wormhole: warning: a code without a number is the legacy relay form; "
                            + "the relay sees the whole code and could learn the password");
                }
            }
            ChannelRunner runner = new ChannelRunner(cli.json(), cli.out(), cli.stderr(), RuntimeDir.open(cli.env(), cli.random()),
                    Role.PEER, mode);
            return runner.run(builder(cli, args), (wormhole, listener) -> wormhole.connect(rendezvous, code, listener));
        } catch (UsageException e) {
            return cli.usage(e.getMessage());
        } catch (IOException e) {
            return cli.fail(ExitCode.FAILED, "io", "the runtime folder is unusable: " + e.getMessage());
        }
    }

    /** The code from the argument, else {@code $AGENT_WORMHOLE_CODE}, else the first line of stdin. */
    private static String codeText(Cli cli, ParsedArgs args) throws UsageException, IOException {
        Optional<String> arg = args.positional(0).filter(a -> !a.equals("-"));
        if (arg.isPresent()) {
            return arg.get();
        }
        String fromEnv = cli.env().get(CODE_ENV);
        if (args.positional(0).isEmpty() && fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.strip();
        }
        String line = new BufferedReader(new InputStreamReader(cli.stdin(), StandardCharsets.UTF_8)).readLine();
        if (line == null || line.isBlank()) {
            throw new UsageException("no code: pass it as an argument, in $" + CODE_ENV + ", or on standard input");
        }
        return line.strip();
    }

    public static ChannelCode parse(String text) throws UsageException {
        try {
            return ChannelCode.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("not a channel code: " + e.getMessage());
        }
    }

    private static Wormhole.Builder builder(Cli cli, ParsedArgs args) throws UsageException {
        return Wormhole.builder()
                .upgrade(!args.has("--no-upgrade") && !Rendezvous.upgradeOffInConfig(cli.env()))
                .upgradePort(args.intValue("--upgrade-port", 0, 0, 65535))
                .upgradeHints(Rendezvous.upgradeHints(args.value("--upgrade-hints")))
                .implementation("agent-wormhole-java/" + Version.current())
                .inactivityTimeout(Duration.ofSeconds(args.intValue("--inactivity-timeout", 3600, 1, 7 * 24 * 3600)))
                .handshakeTimeout(Duration.ofSeconds(args.intValue("--handshake-timeout", 30, 1, 3600)))
                .connectTimeout(Duration.ofSeconds(args.intValue("--connect-timeout", 15, 1, 3600)))
                .resumeLimit(Duration.ofSeconds(args.intValue("--resume-limit", 60, 0, 24 * 3600)));
    }
}
