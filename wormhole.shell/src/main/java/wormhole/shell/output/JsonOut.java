package wormhole.shell.output;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;

/**
 * Writes the agent contract: one JSON object per line on stdout, flushed at once. It is the only
 * writer of stdout in scripted commands, and it is thread-safe, so lines never interleave. It needs
 * no {@code ObjectMapper} ({@link JsonTrees}), so a short command never builds one.
 */
public final class JsonOut {
    private final PrintStream out;

    public JsonOut(PrintStream out) {
        this.out = out;
    }

    public ObjectNode object(String type) {
        return JsonTrees.object().put("type", type);
    }

    public ObjectNode status(String event) {
        return object("status").put("event", event);
    }

    public synchronized void line(ObjectNode node) {
        out.println(JsonTrees.string(node));
        out.flush();
    }

    /** Writes {@code {"type":"status","event":"error","error":kind,"detail":detail}}. */
    public void error(String kind, String detail) {
        line(status("error").put("error", kind).put("detail", detail));
    }
}
