package wormhole.shell.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import wormhole.api.Channel;
import wormhole.api.ChannelEvent;
import wormhole.api.EndReason;
import wormhole.api.Feature;
import wormhole.api.Role;
import wormhole.api.Wormhole;
import wormhole.api.WormholeException;
import wormhole.shell.cli.ExitCode;
import wormhole.shell.control.ControlServer;
import wormhole.shell.control.ChannelRequests;
import wormhole.shell.output.JsonOut;
import wormhole.shell.output.Sanitizer;
import wormhole.shell.runtime.ChannelDir;
import wormhole.shell.runtime.RuntimeDir;

/**
 * Runs one channel for {@code host} or {@code connect} until it ends: prints its events as JSON lines,
 * serves {@code send}/{@code close}/{@code status} on the control socket, closes cleanly on a signal,
 * deletes the channel folder, and returns the exit code that says how it ended.
 */
final class ChannelRunner {
    /** Opens the channel once the runner has made its folder. */
    @FunctionalInterface
    public interface Opener {
        Channel open(Wormhole wormhole, wormhole.api.ChannelListener listener) throws WormholeException;
    }

    private final ObjectMapper json;
    private final JsonOut out;
    private final PrintStream err;
    private final RuntimeDir runtime;
    private final ChannelDir dir;
    private final Role role;
    private final EventLines lines;
    private final String mode;
    private final CountDownLatch cleaned = new CountDownLatch(1);
    private volatile Channel channel;
    private volatile String state = "waiting";
    private volatile String codeKey = "";
    private volatile Set<Feature> features = Set.of();
    private volatile String path;
    private final List<ObjectNode> early = new java.util.ArrayList<>();
    private boolean announced;
    private List<String> connectAddresses = List.of();

    ChannelRunner(ObjectMapper json, JsonOut out, PrintStream err, RuntimeDir runtime, Role role, String mode)
            throws IOException {
        this.json = json;
        this.out = out;
        this.err = err;
        this.runtime = runtime;
        this.dir = runtime.createChannel();
        this.role = role;
        this.lines = new EventLines(out, role);
        this.mode = mode;
        this.path = mode;
    }

    /**
     * Names the addresses a direct host's peer may use: the channel line then lists a
     * {@code code@address} connect string for each.
     */
    ChannelRunner connectVia(List<String> addresses) {
        this.connectAddresses = List.copyOf(addresses);
        return this;
    }

    public int run(Wormhole.Builder builder, Opener opener) {
        Wormhole wormhole = builder.inbox(dir.inbox()).build();
        ControlServer control = null;
        try {
            channel = opener.open(wormhole, this::onEvent);
            codeKey = runtime.codeKey(channel.code());
            announce();
            writeState();
            control = new ControlServer(dir.socket(), json, new ChannelRequests(() -> channel,
                    () -> features.contains(Feature.STREAM), () -> state, role.wireName(), mode).path(() -> path));
            control.start();
            Runtime.getRuntime().addShutdownHook(new Thread(this::onSignal, "wormhole-signal"));
            ChannelEvent.Ended end = awaitEnd();
            control.close();
            cleanUp();
            ObjectNode last = out.status(end.reason().statusEvent()).put("role", role.wireName());
            if (!end.detail().isEmpty()) {
                last.put("detail", end.detail());
            }
            out.line(last);
            return exitCode(end.reason());
        } catch (WormholeException e) {
            cleanUp();
            out.line(out.status("connection_failed").put("detail", e.getMessage()));
            err.println("agent-wormhole: " + Sanitizer.inline(e.getMessage()));
            return ExitCode.CONNECTION_FAILED.status();
        } catch (IOException e) {
            if (control != null) {
                control.close();
            }
            Channel c = channel;
            if (c != null) {
                c.close();
            }
            cleanUp();
            out.error("io", "the channel folder failed: " + e.getMessage());
            return ExitCode.FAILED.status();
        } finally {
            cleaned.countDown();
        }
    }

    /** Prints the host's code first; link events that came earlier follow it, in order. */
    private void announce() {
        synchronized (early) {
            if (role == Role.HOST) {
                String code = channel.code().text();
                ObjectNode line = out.status("channel").put("code", code).put("role", role.wireName()).put("mode", mode);
                if (!connectAddresses.isEmpty()) {
                    ArrayNode connect = line.putArray("connect");
                    connectAddresses.forEach(a -> connect.add(code + "@" + a));
                }
                out.line(line);
                if (mode.equals("direct")) {
                    out.line(out.status("waiting").put("role", role.wireName()));
                }
            }
            early.forEach(out::line);
            early.clear();
            announced = true;
        }
    }

    private void emit(ObjectNode line) {
        synchronized (early) {
            if (!announced) {
                early.add(line);
                return;
            }
        }
        out.line(line);
    }

    private ChannelEvent.Ended awaitEnd() {
        while (true) {
            try {
                Optional<ChannelEvent.Ended> end = channel.awaitEnd(Duration.ofDays(3650));
                if (end.isPresent()) {
                    return end.get();
                }
            } catch (InterruptedException e) {
                channel.close();
            }
        }
    }

    /** SIGINT/SIGTERM: the same clean close as {@code agent-wormhole close}, then exit 0. */
    private void onSignal() {
        Channel c = channel;
        if (c == null || cleaned.getCount() == 0) {
            return;
        }
        c.close();
        try {
            if (cleaned.await(10, TimeUnit.SECONDS)) {
                Runtime.getRuntime().halt(ExitCode.OK.status());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void onEvent(ChannelEvent event) {
        if (event instanceof ChannelEvent.Connected c) {
            state = "connected";
            features = c.peerFeatures();
        } else if (event instanceof ChannelEvent.Ended) {
            state = "closing";
        }
        if (event instanceof ChannelEvent.PathChanged p) {
            path = p.path();
        }
        lines.of(event).ifPresent(this::emit);
        if (event instanceof ChannelEvent.Connected || event instanceof ChannelEvent.PathChanged) {
            writeStateQuietly();
        }
    }

    private synchronized void writeState() throws IOException {
        ObjectNode s = json.createObjectNode()
                .put("code_key", codeKey)
                .put("role", role.wireName())
                .put("mode", mode)
                .put("path", path)
                .put("nameplate", channel.code().legacy() ? "" : channel.code().nameplate())
                .put("pid", ProcessHandle.current().pid())
                .put("state", state);
        dir.writeState(s);
    }

    private void writeStateQuietly() {
        try {
            writeState();
        } catch (IOException e) {
            err.println("agent-wormhole: could not update the channel state file: " + Sanitizer.inline(String.valueOf(e.getMessage())));
        }
    }

    private void cleanUp() {
        try {
            dir.delete();
        } catch (IOException e) {
            err.println("agent-wormhole: could not delete " + dir.path() + ": " + Sanitizer.inline(String.valueOf(e.getMessage())));
        }
    }

    public static int exitCode(EndReason reason) {
        return switch (reason) {
            case CLOSED, PEER_CLOSED -> ExitCode.OK.status();
            case DISCONNECTED -> ExitCode.DISCONNECTED.status();
            case TIMEOUT -> ExitCode.TIMEOUT.status();
            case HANDSHAKE_FAILED -> ExitCode.HANDSHAKE_FAILED.status();
            case CONNECTION_FAILED -> ExitCode.CONNECTION_FAILED.status();
            case ERROR -> ExitCode.FAILED.status();
        };
    }
}
