package wormhole.shell.mcp;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import wormhole.shell.interactive.LocalChannel;

/** The server's channels by code (without any {@code @address}), in the order they opened. Safe from any thread. */
final class McpChannels {
    private final Map<String, McpChannel> byCode = new LinkedHashMap<>();

    synchronized boolean has(String code) {
        return byCode.containsKey(code);
    }

    synchronized void add(McpChannel mc) {
        byCode.put(mc.code(), mc);
    }

    /** Forgets {@code mc}, if it is still the channel of its code. */
    synchronized void remove(McpChannel mc) {
        byCode.remove(mc.code(), mc);
    }

    /**
     * @param typed a code as the agent gave it, perhaps with {@code @address}
     * @return its channel
     * @throws ToolFailure when this server has none with that code
     */
    synchronized McpChannel find(String typed) throws ToolFailure {
        String code = typed.strip();
        int at = code.lastIndexOf('@');
        McpChannel mc = byCode.get(at < 0 ? code : code.substring(0, at));
        if (mc == null) {
            throw new ToolFailure("no_channel", "no channel with that code in this server; status lists them");
        }
        return mc;
    }

    /** Adds a description of each channel to {@code list}. */
    synchronized void describe(ArrayNode list) {
        byCode.values().forEach(mc -> list.add(mc.describe()));
    }

    /** Forgets every channel, closes them all (a goodbye to each peer) and deletes their folders. */
    void closeAll(Duration limit) {
        List<McpChannel> all;
        synchronized (this) {
            all = new ArrayList<>(byCode.values());
            byCode.clear();
        }
        LocalChannel.closeAll(all, limit);
    }
}
