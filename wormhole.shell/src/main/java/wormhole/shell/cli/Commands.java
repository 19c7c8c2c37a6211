package wormhole.shell.cli;

import java.util.List;
import java.util.Optional;
import wormhole.shell.cli.CommandSpec.Option;

/** Every sub-command's declaration: the single source for parsing, {@code --help} and the skill check. */
public final class Commands {
    public static final Option RELAY = new Option("--relay", "URL", "relay URL, or several separated by commas "
            + "(instances of one relay) (else $AGENT_WORMHOLE_RELAY_URL, else the config file)");
    public static final Option INACTIVITY = new Option("--inactivity-timeout", "SECONDS", "close after this long with no traffic (default 3600)");
    public static final Option HANDSHAKE = new Option("--handshake-timeout", "SECONDS", "give up a handshake after this long (default 30)");
    public static final Option CONNECT_TIMEOUT = new Option("--connect-timeout", "SECONDS", "give up reaching the host or relay after this long (default 15)");
    public static final Option RESUME_LIMIT = new Option("--resume-limit", "SECONDS",
            "direct: how long a dropped connection may take to come back before the channel ends (default 60; 0 never resumes)");
    public static final Option NO_UPGRADE = new Option("--no-upgrade", "",
            "relay: stay on the relay; never listen for a direct connection nor tell the peer this machine's addresses "
            + "(also \"no_upgrade\": true in the config file)");
    public static final Option UPGRADE_PORT = new Option("--upgrade-port", "PORT",
            "relay: the port to listen on for the peer's direct connection (default: any free port)");
    public static final Option UPGRADE_HINTS = new Option("--upgrade-hints", "HOST:PORT,...",
            "relay: the addresses to give the peer for a direct connection instead of this machine's own "
            + "(e.g. a port a NAT forwards to --upgrade-port)");
    public static final Option ROLE = new Option("--role", "host|peer", "which end, when both ends of one channel run on this machine");

    public static final CommandSpec HOST = new CommandSpec("host", List.of(), 0, List.of(
            new Option("--direct", "", "listen on a TCP port instead of using a relay (the default when no relay is configured)"),
            new Option("--port", "PORT", "direct: the port to listen on (default: any free port)"),
            new Option("--bind", "ADDRESS", "direct: the address to listen on (default: all interfaces)"),
            RELAY,
            new Option("--words", "N", "words in the code, 8 bits each (default 3)"),
            new Option("--v1-code", "", "relay: a Python 0.1.x code (3 words, no number) for Python peers; the relay sees it whole"),
            NO_UPGRADE, UPGRADE_PORT, UPGRADE_HINTS, INACTIVITY, HANDSHAKE, CONNECT_TIMEOUT, RESUME_LIMIT),
            "open a channel and print its code; runs until the channel ends");

    public static final CommandSpec CONNECT = new CommandSpec("connect", List.of("code[@host]"), 0, List.of(
            RELAY, NO_UPGRADE, UPGRADE_PORT, UPGRADE_HINTS, INACTIVITY, HANDSHAKE, CONNECT_TIMEOUT, RESUME_LIMIT),
            "join a channel (code@host for direct mode); the code may come from $AGENT_WORMHOLE_CODE or stdin");

    public static final CommandSpec SEND = new CommandSpec("send", List.of("code", "text..."), 1, List.of(
            new Option("--file", "PATH", "send a file, or a directory as one archive (any size with a Java peer)"),
            new Option("--stdin", "", "send standard input: text up to 1 MiB, else streamed as a file (keeps secrets out of the command line)"),
            new Option("--name", "NAME", "with --file: the name the peer sees"),
            new Option("--timeout", "SECONDS", "wait this long for the peer's receipt once sent (default 60)"),
            new Option("--no-wait", "", "return once sent, without waiting for the peer's receipt"),
            ROLE),
            "send text, a file or a directory through a running channel; returns once the peer confirms it");

    public static final CommandSpec CLOSE = new CommandSpec("close", List.of("code"), 1, List.of(ROLE),
            "close a channel: goodbye to the peer, then delete every file of the channel");

    public static final CommandSpec STATUS = new CommandSpec("status", List.of(), 0, List.of(),
            "list the channels on this machine and their state");

    public static final CommandSpec RELAY_SERVER = new CommandSpec("relay", List.of(), 0, List.of(
            new Option("--port", "PORT", "WebSocket port (default 4747; 0 for any free port)"),
            new Option("--bind", "ADDRESS", "address to listen on (default: all interfaces)"),
            new Option("--admin-port", "PORT", "health and counters over HTTP (default 4748; -1 for none)"),
            new Option("--admin-bind", "ADDRESS", "address of the admin endpoint (default 127.0.0.1)"),
            new Option("--tls-cert", "FILE", "serve wss://: PEM certificate chain, the relay's own first (with --tls-key)"),
            new Option("--tls-key", "FILE", "serve wss://: PEM private key of that certificate, unencrypted (with --tls-cert)"),
            new Option("--max-frame-bytes", "N", "largest frame (default 10 MiB)"),
            new Option("--frames-per-minute", "N", "frames per channel per minute (default 60)"),
            new Option("--mib-per-minute", "N", "MiB per channel per minute (default 50)"),
            new Option("--inactivity-timeout", "SECONDS", "close a channel idle this long (default 3600)"),
            new Option("--max-channels-per-address", "N", "live channels per source address (default 100)"),
            new Option("--failed-joins-per-minute", "N", "failed joins per channel id per minute (default 5)"),
            new Option("--failed-joins-per-address", "N", "failed joins per client address per minute (default 10)"),
            new Option("--max-connections", "N", "live connections in total (default 10000)"),
            new Option("--max-connections-per-address", "N", "live connections per client address (default 200)"),
            new Option("--upgrade-timeout", "SECONDS", "close a connection not upgraded to WebSocket by then (default 10)"),
            new Option("--join-timeout", "SECONDS", "close a connection that has not joined by then (default 10)"),
            new Option("--unpaired-kib-per-address", "N", "KiB one address may have held in channels without a peer (default 1024)"),
            new Option("--incoming-mib", "N", "MiB for large messages on their way in (default a quarter of the heap)"),
            new Option("--trust-proxy", "CIDR[,CIDR...]", "proxies whose X-Forwarded-For names the client address (default none)"),
            new Option("--redis", "URL", "share channels with other relays through this Redis (redis://[:PASSWORD@]HOST:PORT[/DB], "
                    + "rediss:// for TLS; or AGENT_WORMHOLE_RELAY_REDIS, which keeps a password off the command line; "
                    + "default: channels in memory)"),
            new Option("--redis-trust", "PEM", "for rediss://, trust only the certificates of this PEM file (a self-hosted "
                    + "Redis's certificate or CA; host names are still checked; or ?trust=PEM in the URL)"),
            new Option("--verbose", "", "log each channel's life to stderr (never codes, tokens or payloads)")),
            "run a relay server; SIGTERM tells the clients and stops it");

    public static final CommandSpec SHELL = new CommandSpec("shell", List.of(), 0, List.of(RELAY),
            "the interactive wormhole> prompt for people (also: agent-wormhole with no arguments)");

    public static final CommandSpec SETUP = new CommandSpec("setup", List.of(), 0, List.of(
            new Option("--print", "", "print the skill itself, for agents other than Claude Code"),
            new Option("--mcp", "", "print how to register the MCP server with Claude Code and other MCP hosts")),
            "install the skill for Claude Code: agent-wormhole setup | claude");

    public static final CommandSpec MCP = new CommandSpec("mcp", List.of(), 0, List.of(RELAY),
            "run an MCP server on stdin/stdout: tools host, connect, send, receive, status, close");

    public static final List<CommandSpec> ALL = List.of(HOST, CONNECT, SEND, CLOSE, STATUS, RELAY_SERVER, SHELL, SETUP, MCP);

    private Commands() {
    }

    public static Optional<CommandSpec> find(String name) {
        return ALL.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
