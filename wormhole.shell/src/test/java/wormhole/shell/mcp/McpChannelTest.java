package wormhole.shell.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wormhole.api.Channel;
import wormhole.api.ChannelCode;
import wormhole.api.ChannelEvent;
import wormhole.api.EndReason;
import wormhole.api.Role;
import wormhole.shell.interactive.ShellSupport;

/** One channel of the MCP server: the items {@code receive} takes, the notifications, the limits. */
class McpChannelTest {
    private static final String CODE = "4242-apple-banana-cherry";

    @TempDir
    Path tmp;
    private final List<ObjectNode> notes = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    private McpChannel open() throws IOException {
        Path inbox = Files.createDirectory(tmp.resolve("ch"));
        ShellSupport.Folder folder = new ShellSupport.Folder() {
            @Override
            public Path inbox() {
                return inbox;
            }

            @Override
            public void delete() throws IOException {
                try (var s = Files.list(inbox)) {
                    for (Path p : s.toList()) {
                        Files.delete(p);
                    }
                }
                Files.deleteIfExists(inbox);
            }
        };
        McpChannel mc = new McpChannel(new ObjectMapper(), Role.HOST, "direct", folder,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), notes::add);
        Channel channel = (Channel) Proxy.newProxyInstance(Channel.class.getClassLoader(), new Class<?>[] {Channel.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "code" -> ChannelCode.parse(CODE);
                    case "close" -> {
                        closed.countDown();
                        yield null;
                    }
                    case "awaitEnd" -> Optional.empty();
                    case "isConnected" -> false;
                    default -> null;
                });
        mc.opened(channel);
        return mc;
    }

    @Test
    void itemsComeInOrderAndTheNotificationsCarryNoText() throws Exception {
        McpChannel mc = open();
        mc.onEvent(new ChannelEvent.Connected("1111 2222 3333 4444", Set.of(), "agent-wormhole-java/test"));
        mc.onEvent(new ChannelEvent.TextReceived("the secret"));
        mc.onEvent(new ChannelEvent.Progress("big.iso", 10, 100));
        mc.onEvent(new ChannelEvent.FileReceived("notes.md", mc.inbox().resolve("notes.md"), 12));
        assertEquals("connected", mc.state());
        assertEquals(3, mc.pending(), "progress is not an item");
        List<ObjectNode> items = mc.take(Duration.ZERO);
        assertEquals(List.of("status", "text", "file"), items.stream().map(i -> i.path("type").asText()).toList());
        assertEquals("1111 2222 3333 4444", items.get(0).path("verifier").asText());
        assertEquals("the secret", items.get(1).path("body").asText());
        assertEquals(List.of(), mc.take(Duration.ZERO), "taken items are gone");
        assertEquals(3, notes.size());
        assertTrue(notes.stream().allMatch(n -> n.path("code").asText().equals(CODE)), notes::toString);
        assertFalse(notes.toString().contains("the secret"), notes::toString);
        assertEquals(10, notes.get(1).path("size").asInt());
        assertEquals("1111 2222 3333 4444", mc.describe().path("verifier").asText());
    }

    @Test
    void aLongTextIsAlsoGivenInlineWhenTaken() throws Exception {
        McpChannel mc = open();
        String text = "x".repeat(5000);
        Path saved = Files.writeString(mc.inbox().resolve("text-1.txt"), text);
        mc.onEvent(new ChannelEvent.TextSaved(saved, 5000));
        ObjectNode item = mc.take(Duration.ZERO).get(0);
        assertEquals(text, item.path("body").asText());
        assertEquals(saved.toString(), item.path("saved_to").asText());
        assertFalse(notes.get(0).has("body"), notes::toString);
    }

    @Test
    void aTimeOutGivesNoItems() throws Exception {
        assertEquals(List.of(), open().take(Duration.ofMillis(50)));
    }

    @Test
    void theEndingDeletesTheFolderAndOnceTakenLetsTheChannelGo() throws Exception {
        McpChannel mc = open();
        Files.writeString(mc.inbox().resolve("f"), "x");
        mc.onEvent(new ChannelEvent.Ended(EndReason.PEER_CLOSED, ""));
        assertFalse(Files.exists(mc.inbox()));
        assertTrue(mc.ended());
        assertFalse(mc.endTaken());
        ObjectNode last = mc.take(Duration.ZERO).get(0);
        assertEquals("closed", last.path("event").asText());
        assertTrue(mc.endTaken());
    }

    @Test
    void aPeerThatSendsMoreThanTheAgentTakesHasItsChannelClosed() throws Exception {
        McpChannel mc = open();
        for (int i = 0; i < McpChannel.MAX_PENDING + 10; i++) {
            mc.onEvent(new ChannelEvent.TextReceived("t" + i));
        }
        assertTrue(closed.await(10, TimeUnit.SECONDS), "the channel was not closed");
        assertEquals(McpChannel.MAX_PENDING + 1, mc.pending());
        List<ObjectNode> items = mc.take(Duration.ZERO);
        assertEquals("t0", items.get(0).path("body").asText());
        assertEquals("overflow", items.get(items.size() - 1).path("error").asText());
        // the ending still gets through
        mc.onEvent(new ChannelEvent.Ended(EndReason.CLOSED, ""));
        assertEquals("closed", mc.take(Duration.ZERO).get(0).path("event").asText());
    }
}
