package wormhole.shell.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;

/**
 * Writes the agent contract: one JSON object per line on stdout, flushed at once. It is the only
 * writer of stdout in scripted commands, and it is thread-safe, so lines never interleave.
 */
public final class JsonOut {
    private final ObjectMapper json;
    private final PrintStream out;

    public JsonOut(ObjectMapper json, PrintStream out) {
        this.json = json;
        this.out = out;
    }

    public ObjectNode object(String type) {
        return json.createObjectNode().put("type", type);
    }

    public ObjectNode status(String event) {
        return object("status").put("event", event);
    }

    public synchronized void line(ObjectNode node) {
        try {
            out.println(json.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree failed to serialise", e);
        }
        out.flush();
    }

    /** Writes {@code {"type":"status","event":"error","error":kind,"detail":detail}}. */
    public void error(String kind, String detail) {
        line(status("error").put("error", kind).put("detail", detail));
    }
}
