package wormhole.shell.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import wormhole.api.ChannelCode;
import wormhole.shell.cli.Cli;
import wormhole.shell.cli.ExitCode;
import wormhole.shell.cli.ParsedArgs;
import wormhole.shell.cli.UsageException;
import wormhole.shell.control.ControlClient;
import wormhole.shell.control.SendRequests;
import wormhole.shell.output.JsonTrees;
import wormhole.shell.runtime.RuntimeDir;

/** {@code send}, {@code close} and {@code status}: short commands that talk to running channels. */
public final class LocalCommands {
    private LocalCommands() {
    }

    public static int send(Cli cli, ParsedArgs args) {
        try {
            ChannelCode code = LocalChannels.code(args.positionals().get(0));
            Optional<String> role = LocalChannels.role(args);
            List<String> words = args.positionals().subList(1, args.positionals().size());
            int sources = (words.isEmpty() ? 0 : 1) + (args.has("--file") ? 1 : 0) + (args.has("--stdin") ? 1 : 0);
            if (sources != 1) {
                throw new UsageException("send takes exactly one of: text, --file PATH, --stdin");
            }
            if (args.has("--name") && !args.has("--file")) {
                throw new UsageException("--name goes with --file");
            }
            if (args.has("--timeout") && args.has("--no-wait")) {
                throw new UsageException("--timeout and --no-wait exclude each other");
            }
            ObjectNode request = JsonTrees.object();
            InputStream body = InputStream.nullInputStream();
            if (args.has("--file")) {
                Path file = Path.of(args.value("--file").orElseThrow()).toAbsolutePath().normalize();
                boolean directory = Files.isDirectory(file, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                if (!(directory || Files.isRegularFile(file)) || !Files.isReadable(file)) {
                    return cli.fail(ExitCode.UNREADABLE, "unreadable", "cannot read the file " + file);
                }
                Path base = file.getFileName();
                request.put("op", "file").put("path", file.toString())
                        .put("name", args.value("--name").orElse(base == null ? "file" : base.toString()));
            } else if (args.has("--stdin")) {
                SendRequests.Prefix prefix = SendRequests.readPrefix(cli.stdin());
                if (prefix.text().isPresent()) {
                    request.put("op", "text").put("body", prefix.text().get());
                } else {
                    request.put("op", "stdin");
                    body = new SequenceInputStream(new ByteArrayInputStream(prefix.bytes()), cli.stdin());
                }
            } else {
                request.put("op", "text").put("body", String.join(" ", words));
            }
            request.put("wait", !args.has("--no-wait"))
                    .put("timeout", args.intValue("--timeout", (int) SendRequests.DEFAULT_TIMEOUT_SECONDS, 1, 7 * 24 * 3600));
            RuntimeDir runtime = RuntimeDir.open(cli.env(), cli.random());
            Optional<LocalChannels.Found> target = one(cli, runtime, code, role);
            if (target.isEmpty()) {
                return ExitCode.NO_CHANNEL.status();
            }
            ObjectNode reply;
            try {
                reply = new ControlClient().call(target.get().dir().socket(), request, body);
            } catch (IOException e) {
                return cli.fail(ExitCode.NO_CHANNEL, "no_channel", "the channel's process is not running");
            }
            if (reply.path("ok").asBoolean(false)) {
                ObjectNode line = cli.out().object("sent").put("kind", reply.path("kind").asText());
                if (reply.has("name")) {
                    line.put("name", reply.path("name").asText());
                }
                if (reply.has("size")) {
                    line.put("size", reply.path("size").asLong());
                }
                cli.out().line(line.put("confirmed", reply.path("confirmed").asBoolean(false)));
                return ExitCode.OK.status();
            }
            String error = reply.path("error").asText("failed");
            return cli.fail(exitFor(error), error, reply.path("detail").asText(error));
        } catch (UsageException e) {
            return cli.usage(e.getMessage());
        } catch (IOException e) {
            return cli.fail(ExitCode.FAILED, "io", e.getMessage());
        }
    }

    public static int close(Cli cli, ParsedArgs args) {
        try {
            ChannelCode code = LocalChannels.code(args.positionals().get(0));
            Optional<String> role = LocalChannels.role(args);
            RuntimeDir runtime = RuntimeDir.open(cli.env(), cli.random());
            List<LocalChannels.Found> found = LocalChannels.matching(cli, runtime, code, role);
            if (found.isEmpty()) {
                return cli.fail(ExitCode.NO_CHANNEL, "no_channel", "no channel with that code on this machine");
            }
            for (LocalChannels.Found f : found) {
                boolean asked = false;
                if (f.alive()) {
                    try {
                        asked = new ControlClient().call(f.dir().socket(),
                                JsonTrees.object().put("op", "close")).path("ok").asBoolean(false);
                    } catch (IOException e) {
                        asked = false;
                    }
                }
                if (asked) {
                    awaitGone(f.dir().path(), 10_000);
                }
                f.dir().delete();
                cli.out().line(cli.out().status("closed").put("role", f.role())
                        .put("detail", asked ? "closed the running channel" : "deleted what was left of it"));
            }
            return ExitCode.OK.status();
        } catch (UsageException e) {
            return cli.usage(e.getMessage());
        } catch (IOException e) {
            return cli.fail(ExitCode.FAILED, "io", e.getMessage());
        }
    }

    public static int status(Cli cli) {
        try {
            RuntimeDir runtime = RuntimeDir.open(cli.env(), cli.random());
            List<LocalChannels.Found> all = LocalChannels.all(cli, runtime);
            for (LocalChannels.Found f : all) {
                String state = f.state().path("state").asText("unknown");
                String path = f.state().path("path").asText(f.state().path("mode").asText(""));
                if (!f.alive()) {
                    state = "stale";
                } else {
                    try {
                        var reply = new ControlClient().call(f.dir().socket(), JsonTrees.object().put("op", "status"));
                        state = reply.path("state").asText(state);
                        path = reply.path("path").asText(path);
                    } catch (IOException e) {
                        state = "unresponsive";
                    }
                }
                cli.out().line(cli.out().object("channel")
                        .put("role", f.role())
                        .put("mode", f.state().path("mode").asText(""))
                        .put("nameplate", f.state().path("nameplate").asText(""))
                        .put("state", state)
                        .put("path", path)
                        .put("pid", f.state().path("pid").asLong(-1)));
            }
            if (all.isEmpty()) {
                cli.out().line(cli.out().status("no_channels"));
            }
            return ExitCode.OK.status();
        } catch (IOException e) {
            return cli.fail(ExitCode.FAILED, "io", e.getMessage());
        }
    }

    private static Optional<LocalChannels.Found> one(Cli cli, RuntimeDir runtime, ChannelCode code, Optional<String> role)
            throws IOException {
        List<LocalChannels.Found> found = LocalChannels.matching(cli, runtime, code, role).stream()
                .filter(LocalChannels.Found::alive).toList();
        if (found.isEmpty()) {
            cli.fail(ExitCode.NO_CHANNEL, "no_channel", "no running channel with that code on this machine");
            return Optional.empty();
        }
        if (found.size() > 1) {
            cli.fail(ExitCode.NO_CHANNEL, "ambiguous", "both ends of this channel run here; pass --role host or --role peer");
            return Optional.empty();
        }
        return Optional.of(found.get(0));
    }

    private static ExitCode exitFor(String error) {
        return switch (error.toUpperCase(Locale.ROOT)) {
            case "NOT_CONNECTED" -> ExitCode.NOT_CONNECTED;
            case "TOO_LARGE" -> ExitCode.TOO_LARGE;
            case "UNREADABLE" -> ExitCode.UNREADABLE;
            case "PEER_GONE", "CLOSED" -> ExitCode.DISCONNECTED;
            case "ACK_TIMEOUT" -> ExitCode.ACK_TIMEOUT;
            case "REFUSED" -> ExitCode.REFUSED;
            default -> ExitCode.FAILED;
        };
    }

    private static void awaitGone(Path dir, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (Files.exists(dir) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
