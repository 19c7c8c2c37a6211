package wormhole.shell.control;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;
import wormhole.api.Channel;
import wormhole.api.Delivery;
import wormhole.api.WormholeException;
import wormhole.api.spi.Threads;

/**
 * What a running channel answers on its control socket: {@code text}, {@code file} and
 * {@code stdin} (from {@code send}), {@code close}, and {@code status}. Every failure is a reply
 * with {@code ok: false}, the kind of error and a detail.
 */
public final class ChannelRequests implements ControlServer.Handler {
    private final Supplier<Channel> channel;
    private final Supplier<Boolean> peerStreams;
    private final Supplier<String> state;
    private final String role;
    private final String mode;
    private Supplier<String> path;

    /**
     * @param channel     the running channel
     * @param peerStreams whether the peer takes streams (known once connected)
     * @param state       the channel's state, for {@code status}
     * @param role        {@code host} or {@code peer}
     * @param mode        {@code direct} or {@code relay}
     */
    public ChannelRequests(Supplier<Channel> channel, Supplier<Boolean> peerStreams, Supplier<String> state, String role,
            String mode) {
        this.channel = channel;
        this.peerStreams = peerStreams;
        this.state = state;
        this.role = role;
        this.mode = mode;
        this.path = () -> mode;
    }

    /**
     * @param current the path the frames take now ({@code direct} or {@code relay}), for {@code status}
     * @return these requests
     */
    public ChannelRequests path(Supplier<String> current) {
        this.path = current;
        return this;
    }

    @Override
    public ObjectNode handle(ObjectNode request, ObjectNode reply, InputStream body) {
        String op = request.path("op").asText("");
        Channel c = channel.get();
        Duration receipt = request.path("wait").asBoolean(true)
                ? Duration.ofSeconds(Math.max(1, request.path("timeout").asLong(SendRequests.DEFAULT_TIMEOUT_SECONDS)))
                : Duration.ZERO;
        try {
            switch (op) {
                case "text" -> {
                    String text = request.path("body").asText("");
                    Delivery d = c.sendText(text, receipt);
                    reply.put("ok", true).put("kind", "text").put("size", text.getBytes(StandardCharsets.UTF_8).length)
                            .put("confirmed", d == Delivery.CONFIRMED);
                }
                case "file" -> file(c, request, receipt, reply);
                case "stdin" -> SendRequests.stdin(c, peerStreams.get(), body, receipt, reply);
                case "close" -> {
                    reply.put("ok", true);
                    Threads.start(Threads.daemons(), "wormhole-close", c::close);
                }
                case "status" -> reply.put("ok", true).put("state", state.get()).put("role", role).put("mode", mode)
                        .put("path", path.get());
                default -> reply.put("ok", false).put("error", "bad_request").put("detail", "unknown op");
            }
        } catch (WormholeException e) {
            reply.put("ok", false).put("error", e.failure().name().toLowerCase(Locale.ROOT)).put("detail", e.getMessage());
        }
        return reply;
    }

    private static void file(Channel c, ObjectNode request, Duration receipt, ObjectNode reply) throws WormholeException {
        Path path = Path.of(request.path("path").asText(""));
        String name = request.path("name").asText(path.getFileName() == null ? "file" : path.getFileName().toString());
        boolean directory = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
        Delivery d = c.sendFile(path, name, receipt);
        reply.put("ok", true).put("kind", directory ? "directory" : "file").put("name", name);
        if (!directory) {
            reply.put("size", path.toFile().length());
        }
        reply.put("confirmed", d == Delivery.CONFIRMED);
    }
}
