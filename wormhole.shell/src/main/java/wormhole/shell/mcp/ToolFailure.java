package wormhole.shell.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A tool call that failed in a way the agent should see and act on: a tool result with
 * {@code isError: true} and the kind of failure, named as the command line's error kinds
 * ({@code handshake_failed}, {@code not_connected}, {@code too_large}, ...). Its detail never holds a
 * code or a payload.
 */
final class ToolFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final String kind;

    ToolFailure(String kind, String detail) {
        super(detail, null, false, false);
        this.kind = kind;
    }

    /** @return what the agent sees: {@code {"error": kind, "detail": ...}} */
    ObjectNode describe(ObjectMapper json) {
        return json.createObjectNode().put("error", kind).put("detail", getMessage());
    }
}
