package wormhole.shell.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import wormhole.api.Channel;
import wormhole.api.ChannelEvent;
import wormhole.api.Role;
import wormhole.api.spi.Threads;
import wormhole.shell.interactive.LocalChannel;
import wormhole.shell.interactive.ShellSupport;
import wormhole.shell.output.Sanitizer;

/**
 * One channel the server opened: its private folder, its state, and the items that arrived and were
 * not yet taken by {@code receive}. Each item is also announced through the notifier, without its
 * text. When the channel ends, for whatever reason, its folder is deleted.
 */
final class McpChannel extends LocalChannel {
    /** Long texts up to this many bytes are given inline by {@code receive} as well as saved. */
    static final int INLINE_TEXT_LIMIT = 1024 * 1024;
    /** The most items a channel holds for {@code receive}; a peer that sends more has its channel closed. */
    static final int MAX_PENDING = 4096;
    private final ObjectMapper json;
    private final PrintStream err;
    private final Consumer<ObjectNode> notifier;
    private final LinkedBlockingQueue<ObjectNode> arrived = new LinkedBlockingQueue<>();
    private final CompletableFuture<ChannelEvent> settled = new CompletableFuture<>();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private volatile String code = "";
    private volatile String verifier;
    private volatile String peer = "";
    private volatile boolean endTaken;

    McpChannel(ObjectMapper json, Role role, String mode, ShellSupport.Folder folder, PrintStream err, Consumer<ObjectNode> notifier) {
        super(role, mode, folder, role == Role.HOST ? "waiting" : "connecting",
                e -> err.println("agent-wormhole mcp: could not delete a channel folder: " + Sanitizer.inline(String.valueOf(e.getMessage()))));
        this.json = json;
        this.err = err;
        this.notifier = notifier;
    }

    /** Names the channel before it opens (a peer knows its code), so early announcements carry it. */
    void named(String text) {
        this.code = text;
    }

    @Override
    protected void opened(Channel c) {
        super.opened(c);
        this.code = c.code().text();
    }

    String code() {
        return code;
    }

    boolean ended() {
        return settled.isDone() && settled.getNow(null) instanceof ChannelEvent.Ended;
    }

    /** @return the first of: connected, or the end; for {@code connect} to wait on */
    CompletableFuture<ChannelEvent> settled() {
        return settled;
    }

    @Override
    public void onEvent(ChannelEvent event) {
        if (event instanceof ChannelEvent.Link l) {
            state(switch (l.event()) {
                case WAITING -> "waiting";
                case PAIRED -> "paired";
                case RECONNECTING -> "reconnecting";
                case RECONNECTED -> verifier == null ? "paired" : "connected";
                case PEER_DISCONNECTED -> "peer_disconnected";
            });
            return;
        }
        ObjectNode item = json.createObjectNode();
        if (event instanceof ChannelEvent.Connected c) {
            state("connected");
            verifier = c.verifier();
            peer = c.peerName();
            item.put("type", "status").put("event", "connected").put("verifier", c.verifier());
            if (!c.peerName().isEmpty()) {
                item.put("peer", c.peerName());
            }
            settled.complete(event);
        } else if (event instanceof ChannelEvent.TextReceived t) {
            item.put("type", "text").put("body", t.body());
        } else if (event instanceof ChannelEvent.TextSaved t) {
            item.put("type", "text").put("saved_to", t.savedTo().toString()).put("size", t.size());
        } else if (event instanceof ChannelEvent.FileReceived f) {
            item.put("type", "file").put("name", f.name()).put("saved_to", f.savedTo().toString()).put("size", f.size());
        } else if (event instanceof ChannelEvent.DirectoryReceived d) {
            item.put("type", "file").put("kind", "directory").put("name", d.name()).put("saved_to", d.savedTo().toString())
                    .put("size", d.size()).put("files", d.files());
        } else if (event instanceof ChannelEvent.Refused r) {
            item.put("type", "error").put("error", "refused").put("name", r.name()).put("detail", r.detail());
        } else if (event instanceof ChannelEvent.Ended e) {
            state(e.reason().statusEvent());
            deleteFolder();
            item.put("type", "status").put("event", e.reason().statusEvent());
            if (!e.detail().isEmpty()) {
                item.put("detail", e.detail());
            }
            settled.complete(event);
        } else {
            return; // progress: the item's own line follows when it is complete
        }
        if (!(event instanceof ChannelEvent.Ended) && arrived.size() >= MAX_PENDING) {
            overflow();
            return;
        }
        arrived.add(item);
        notifier.accept(announcement(item));
    }

    /**
     * The agent has not received {@link #MAX_PENDING} items: rather than hold without bound what a
     * peer sends, the channel is closed, and the agent learns why from the last items.
     */
    private void overflow() {
        if (overflowed.compareAndSet(false, true)) {
            ObjectNode item = json.createObjectNode().put("type", "error").put("error", "overflow")
                    .put("detail", MAX_PENDING + " items were not received; the channel is closed and nothing more is kept");
            arrived.add(item);
            notifier.accept(announcement(item));
            Channel c = channel();
            if (c != null) {
                Threads.start(Threads.daemons(), "mcp-overflow-close", c::close);
            }
        }
    }

    /** The notification's params: what arrived and where, never the text itself. */
    private ObjectNode announcement(ObjectNode item) {
        ObjectNode note = json.createObjectNode().put("code", code);
        item.properties().forEach(f -> {
            if (!f.getKey().equals("body")) {
                note.set(f.getKey(), f.getValue());
            }
        });
        if (item.has("body")) {
            note.put("size", item.get("body").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
        return note;
    }

    /**
     * Takes what arrived: waits up to {@code wait} for the first item, then takes every item there is.
     *
     * @return the items, oldest first; empty at the time-out
     */
    List<ObjectNode> take(Duration wait) throws InterruptedException {
        List<ObjectNode> items = new ArrayList<>();
        ObjectNode first = wait.isZero() ? arrived.poll() : arrived.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (first != null) {
            items.add(first);
            arrived.drainTo(items);
        }
        for (ObjectNode i : items) {
            inline(i);
            if (i.path("type").asText().equals("status") && !i.path("event").asText().equals("connected")) {
                endTaken = true;
            }
        }
        return items;
    }

    /**
     * A long text was saved to a file; {@code receive} also gives it inline, up to
     * {@link #INLINE_TEXT_LIMIT} bytes, read when it is taken so that waiting items hold no texts in memory.
     */
    private static void inline(ObjectNode item) {
        if (!item.path("type").asText().equals("text") || item.has("body") || !item.has("saved_to")
                || item.path("size").asLong() > INLINE_TEXT_LIMIT) {
            return;
        }
        try {
            item.put("body", java.nio.file.Files.readString(java.nio.file.Path.of(item.get("saved_to").asText())));
        } catch (IOException | RuntimeException e) {
            // gone with the channel's folder, or not UTF-8: the path and size still say what arrived
        }
    }

    /** @return whether the channel is over and its ending has been received, so it can be forgotten */
    boolean endTaken() {
        return endTaken;
    }

    int pending() {
        return arrived.size();
    }

    ObjectNode describe() {
        ObjectNode d = json.createObjectNode().put("code", code).put("role", role().wireName()).put("mode", mode())
                .put("state", state().toLowerCase(Locale.ROOT));
        if (verifier != null) {
            d.put("verifier", verifier);
        }
        if (!peer.isEmpty()) {
            d.put("peer", peer);
        }
        return d.put("pending", pending());
    }
}
