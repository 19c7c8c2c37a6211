package wormhole.shell.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import wormhole.api.Channel;
import wormhole.api.ChannelCode;
import wormhole.api.ChannelEvent;
import wormhole.api.Delivery;
import wormhole.api.Role;
import wormhole.api.Wormhole;
import wormhole.api.WormholeException;
import wormhole.shell.interactive.ShellInputException;
import wormhole.shell.interactive.ShellSupport;
import wormhole.shell.net.HostAddresses;

/**
 * What each tool does, on the server's table of channels. Every failure the agent can act on is a
 * {@link ToolFailure} with the command line's kind of error; arguments were already checked against
 * the tool's schema.
 */
final class Tools {
    /** How long {@code close} (and the server's exit) waits for each channel's goodbye. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    /** How long {@code connect} waits for the handshake at most (the channel's own time-outs end it sooner). */
    static final Duration CONNECT_WAIT = Duration.ofSeconds(120);

    private final ObjectMapper json;
    private final ShellSupport support;
    private final Optional<String> defaultRelay;
    private final PrintStream err;
    private final Consumer<ObjectNode> notifier;
    private final McpChannels channels = new McpChannels();

    Tools(ObjectMapper json, ShellSupport support, Optional<String> defaultRelay, PrintStream err, Consumer<ObjectNode> notifier) {
        this.json = json;
        this.support = support;
        this.defaultRelay = defaultRelay;
        this.err = err;
        this.notifier = notifier;
    }

    ObjectNode call(String tool, ObjectNode args) throws ToolFailure, InterruptedException {
        return switch (tool) {
            case "host" -> host(args);
            case "connect" -> connect(args);
            case "send" -> send(args);
            case "receive" -> receive(args);
            case "status" -> status();
            case "close" -> close(args);
            default -> throw new IllegalArgumentException("no tool " + tool);
        };
    }

    private ObjectNode host(ObjectNode args) throws ToolFailure {
        // As the command line's host: with no relay named or configured, host directly.
        boolean noRelay = !args.path("direct").asBoolean(false) && !args.has("relay") && defaultRelay.isEmpty()
                && !support.relayConfigured();
        boolean direct = args.path("direct").asBoolean(false) || noRelay;
        if (!direct && (args.has("port") || args.has("bind"))) {
            throw new ToolFailure("usage", "port and bind go with direct: true");
        }
        if (direct && args.has("relay")) {
            throw new ToolFailure("usage", "relay and direct exclude each other");
        }
        String bind = args.path("bind").asText("0.0.0.0");
        URI rendezvous;
        try {
            rendezvous = direct ? support.directHost(bind, args.path("port").asInt(0)) : relay(args);
        } catch (ShellInputException e) {
            throw new ToolFailure("usage", e.getMessage());
        }
        McpChannel mc = newChannel(Role.HOST, direct ? "direct" : "relay");
        Channel channel;
        try {
            channel = wormhole(mc).host(rendezvous, mc);
        } catch (WormholeException e) {
            mc.deleteFolder();
            throw new ToolFailure("connection_failed", "could not host: " + e.getMessage());
        }
        mc.opened(channel);
        register(mc);
        String code = channel.code().text();
        ObjectNode result = json.createObjectNode().put("code", code).put("role", "host").put("mode", mc.mode());
        if (direct) {
            ArrayNode connect = result.putArray("connect");
            HostAddresses.of(bind).forEach(a -> connect.add(code + "@" + a));
            if (noRelay) {
                result.put("note", "no relay configured: hosting directly on this network");
            }
            result.put("next", "give the other agent one of the connect strings (code@address) over a channel you trust; "
                    + "it calls connect with it. Then call receive to wait for the peer.");
        } else {
            result.put("next", "give the other agent the code over a channel you trust; it calls connect with it "
                    + "(and the same relay). Then call receive to wait for the peer.");
        }
        return result;
    }

    private ObjectNode connect(ObjectNode args) throws ToolFailure, InterruptedException {
        String typed = args.get("code").asText().strip();
        int at = typed.lastIndexOf('@');
        ChannelCode code;
        try {
            code = ChannelCode.parse(at < 0 ? typed : typed.substring(0, at));
        } catch (IllegalArgumentException e) {
            throw new ToolFailure("usage", "not a channel code: " + e.getMessage());
        }
        URI rendezvous;
        try {
            if (at >= 0) {
                if (args.has("relay")) {
                    throw new ToolFailure("usage", "code@address is a direct host; give the code alone with a relay");
                }
                if (code.legacy()) {
                    throw new ToolFailure("usage", "a direct code starts with the host's port number");
                }
                rendezvous = support.directPeer(typed.substring(at + 1), code.nameplate());
            } else {
                rendezvous = relay(args);
            }
        } catch (ShellInputException e) {
            throw new ToolFailure("usage", e.getMessage());
        }
        if (channels.has(code.text())) {
            throw new ToolFailure("usage", "this server already has a channel with that code");
        }
        McpChannel mc = newChannel(Role.PEER, at >= 0 ? "direct" : "relay");
        mc.named(code.text());
        Channel channel;
        try {
            channel = wormhole(mc).connect(rendezvous, code, mc);
        } catch (WormholeException e) {
            mc.deleteFolder();
            throw new ToolFailure("connection_failed", "could not connect: " + e.getMessage());
        }
        mc.opened(channel);
        register(mc);
        ChannelEvent outcome;
        try {
            outcome = mc.settled().get(CONNECT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            forget(mc);
            mc.closeAndWait(CLOSE_WAIT);
            throw new ToolFailure("timeout", "no handshake within " + CONNECT_WAIT.toSeconds() + " s");
        } catch (InterruptedException e) {
            forget(mc);
            mc.closeAndWait(CLOSE_WAIT);
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
        if (outcome instanceof ChannelEvent.Ended end) {
            forget(mc);
            mc.deleteFolder();
            String kind = end.reason().statusEvent();
            String detail = switch (end.reason()) {
                case HANDSHAKE_FAILED -> "handshake failed: most likely a wrong code";
                case CONNECTION_FAILED -> "connection failed: host or relay unreachable";
                case TIMEOUT -> "time-out";
                default -> "the channel ended before it connected";
            };
            throw new ToolFailure(kind, end.detail().isEmpty() ? detail : detail + " (" + end.detail() + ")");
        }
        ChannelEvent.Connected c = (ChannelEvent.Connected) outcome;
        ObjectNode result = json.createObjectNode().put("code", code.text()).put("role", "peer").put("mode", mc.mode())
                .put("state", "connected").put("verifier", c.verifier());
        if (!c.peerName().isEmpty()) {
            result.put("peer", c.peerName());
        }
        return result;
    }

    private ObjectNode send(ObjectNode args) throws ToolFailure {
        McpChannel mc = find(args);
        boolean text = args.has("text");
        if (text == args.has("file")) {
            throw new ToolFailure("usage", "send takes exactly one of: text, file");
        }
        if (args.has("name") && !args.has("file")) {
            throw new ToolFailure("usage", "name goes with file");
        }
        Duration receipt = Duration.ofMillis((long) (args.path("timeout_seconds").asDouble(60) * 1000));
        Channel c = mc.channel();
        ObjectNode result = json.createObjectNode();
        try {
            if (text) {
                String body = args.get("text").asText();
                Delivery d = c.sendText(body, receipt);
                result.put("kind", "text").put("size", body.getBytes(StandardCharsets.UTF_8).length)
                        .put("confirmed", d == Delivery.CONFIRMED);
            } else {
                Path file;
                try {
                    file = Path.of(args.get("file").asText()).toAbsolutePath().normalize();
                } catch (InvalidPathException e) {
                    throw new ToolFailure("unreadable", "not a usable path");
                }
                boolean directory = Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS);
                if (!(directory || Files.isRegularFile(file)) || !Files.isReadable(file)) {
                    throw new ToolFailure("unreadable", "cannot read the file " + file);
                }
                Path base = file.getFileName();
                String name = args.has("name") ? args.get("name").asText() : base == null ? "file" : base.toString();
                Delivery d = c.sendFile(file, name, receipt);
                result.put("kind", directory ? "directory" : "file").put("name", name);
                if (!directory) {
                    result.put("size", file.toFile().length());
                }
                result.put("confirmed", d == Delivery.CONFIRMED);
            }
        } catch (WormholeException e) {
            throw new ToolFailure(e.failure().name().toLowerCase(Locale.ROOT), e.getMessage());
        }
        return result;
    }

    private ObjectNode receive(ObjectNode args) throws ToolFailure, InterruptedException {
        McpChannel mc = find(args);
        Duration wait = Duration.ofMillis((long) (args.path("timeout_seconds").asDouble(30) * 1000));
        List<ObjectNode> items = mc.take(wait);
        if (mc.endTaken()) {
            forget(mc);
        }
        ObjectNode result = json.createObjectNode().put("code", mc.code()).put("state", mc.state());
        ArrayNode list = result.putArray("items");
        items.forEach(list::add);
        return result;
    }

    private ObjectNode status() {
        ObjectNode result = json.createObjectNode();
        ArrayNode list = result.putArray("channels");
        channels.describe(list);
        return result;
    }

    private ObjectNode close(ObjectNode args) throws ToolFailure {
        McpChannel mc = find(args);
        forget(mc);
        boolean wasOver = mc.ended();
        mc.closeAndWait(CLOSE_WAIT);
        return json.createObjectNode().put("code", mc.code()).put("closed", true).put("state", mc.state())
                .put("detail", wasOver ? "the channel had already ended; its files are deleted"
                        : "said goodbye to the peer; the channel's files are deleted");
    }

    /** Closes every channel (a goodbye to each peer), waits briefly for each, and deletes every folder. */
    void closeAll() {
        channels.closeAll(CLOSE_WAIT);
    }

    private McpChannel find(ObjectNode args) throws ToolFailure {
        return channels.find(args.get("code").asText());
    }

    private URI relay(JsonNode args) throws ShellInputException {
        return support.relay(Optional.ofNullable(args.get("relay")).map(JsonNode::asText).or(() -> defaultRelay));
    }

    private McpChannel newChannel(Role role, String mode) throws ToolFailure {
        try {
            return new McpChannel(json, role, mode, support.newFolder(), err, notifier);
        } catch (IOException e) {
            throw new ToolFailure("io", "the runtime folder is unusable: " + e.getMessage());
        }
    }

    private Wormhole wormhole(McpChannel mc) {
        return support.wormhole().inbox(mc.inbox()).build();
    }

    private void register(McpChannel mc) {
        channels.add(mc);
    }

    private void forget(McpChannel mc) {
        channels.remove(mc);
    }
}
