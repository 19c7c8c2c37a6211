package wormhole.shell.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import wormhole.shell.interactive.ShellSupport;
import wormhole.shell.output.JsonLines;

/**
 * {@code agent-wormhole mcp}: a Model Context Protocol server over stdio. It reads one JSON-RPC 2.0
 * message per line from stdin and writes responses and notifications, one per line, to stdout, which
 * nothing else in the process writes to. Tool calls run on threads of their own, so a waiting
 * {@code receive} or {@code connect} does not hold up other calls, and {@code notifications/cancelled}
 * interrupts them. When stdin closes, every channel says goodbye and its files are deleted.
 *
 * <p>Nothing secret goes to stderr: no code, no text, no argument of a call.
 */
public final class McpServer {
    /** The protocol revisions this server speaks, newest first. */
    static final List<String> PROTOCOL_VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");
    /** The largest message accepted, in bytes (a text to send is at most 10 MiB, escaped). */
    public static final int MAX_MESSAGE_BYTES = 32 * 1024 * 1024;
    /** The method of the notification that announces what arrived on a channel. */
    static final String EVENT_NOTIFICATION = "notifications/agent-wormhole/event";

    private final ObjectMapper json;
    private final LineTransport transport;
    private final PrintStream err;
    private final String version;
    private final ToolCatalog catalog;
    private final Tools tools;
    private final InFlightCalls calls = new InFlightCalls();
    private final int messageLimit;
    private volatile boolean initialized;

    /**
     * @param support      the runtime folder, rendezvous rules and builder of the command-line tool
     * @param defaultRelay the relay for calls that name none (from {@code mcp --relay})
     * @param in           the protocol's input (stdin)
     * @param out          the protocol's output (stdout); nothing else may write to it
     * @param err          diagnostics, never secrets
     * @param version      this build's version, for {@code serverInfo}
     */
    public McpServer(ShellSupport support, Optional<String> defaultRelay, InputStream in, OutputStream out, PrintStream err,
            String version) {
        this(support, defaultRelay, in, out, err, version, MAX_MESSAGE_BYTES);
    }

    McpServer(ShellSupport support, Optional<String> defaultRelay, InputStream in, OutputStream out, PrintStream err,
            String version, int messageLimit) {
        this.json = JsonLines.mapper();
        this.messageLimit = messageLimit;
        this.transport = new LineTransport(in, out, messageLimit);
        this.err = err;
        this.version = version;
        this.catalog = new ToolCatalog(json);
        this.tools = new Tools(json, support, defaultRelay, err, this::announce);
    }

    /**
     * Serves until stdin closes, then closes every channel.
     *
     * @return the exit status: 0, or 1 when stdin or stdout failed
     */
    public int run() {
        Thread onSignal = new Thread(tools::closeAll, "mcp-exit");
        Runtime.getRuntime().addShutdownHook(onSignal);
        int status = 0;
        try {
            while (true) {
                LineTransport.Line line = transport.read();
                if (line instanceof LineTransport.Line.End) {
                    break;
                }
                if (line instanceof LineTransport.Line.TooLarge t) {
                    error(null, RpcException.INVALID_REQUEST, "message too large: " + t.bytes() + " bytes; the limit is "
                            + messageLimit);
                } else if (line instanceof LineTransport.Line.Text t && !t.text().isBlank()) {
                    try {
                        handle(t.text());
                    } catch (RuntimeException | StackOverflowError e) {
                        // a bug must not end the server: the client gets an error, stderr the class of it only
                        err.println("agent-wormhole mcp: internal error: " + e.getClass().getName());
                        error(null, RpcException.INTERNAL_ERROR, "internal error");
                    }
                }
            }
        } catch (IOException e) {
            err.println("agent-wormhole mcp: the protocol stream failed: " + e.getClass().getSimpleName());
            status = 1;
        }
        tools.closeAll();
        try {
            calls.stop();
            Runtime.getRuntime().removeShutdownHook(onSignal);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException alreadyExiting) {
            // the hook runs anyway and finds nothing left to close
        }
        return status;
    }

    /** Handles one message; every failure becomes a JSON-RPC error, never an exception. */
    void handle(String text) throws IOException {
        JsonNode message;
        try {
            message = json.readTree(text);
        } catch (JsonProcessingException e) {
            // The parser's message may quote the input, which may hold a secret: say where, not what.
            var where = e.getLocation();
            error(null, RpcException.PARSE_ERROR, "Parse error: not valid JSON" + (where == null ? ""
                    : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")"));
            return;
        }
        if (message == null || message.isArray()) {
            error(null, RpcException.INVALID_REQUEST, message == null ? "Invalid Request: empty" : "Invalid Request: batches are not supported");
            return;
        }
        if (!message.isObject()) {
            error(null, RpcException.INVALID_REQUEST, "Invalid Request: a message is a JSON object");
            return;
        }
        JsonNode id = message.get("id");
        boolean hasId = id != null;
        if (hasId && !(id.isTextual() || id.isIntegralNumber())) {
            error(null, RpcException.INVALID_REQUEST, "Invalid Request: id must be a string or an integer");
            return;
        }
        if (!"2.0".equals(message.path("jsonrpc").asText(null)) || !message.path("jsonrpc").isTextual()) {
            error(id, RpcException.INVALID_REQUEST, "Invalid Request: jsonrpc must be \"2.0\"");
            return;
        }
        JsonNode method = message.get("method");
        if (method == null && hasId && (message.has("result") || message.has("error"))) {
            return; // a response; this server sends no requests, so there is nothing to match
        }
        if (method == null || !method.isTextual()) {
            error(id, RpcException.INVALID_REQUEST, "Invalid Request: method must be a string");
            return;
        }
        JsonNode params = message.get("params");
        if (params != null && !params.isObject()) {
            if (hasId) {
                error(id, RpcException.INVALID_PARAMS, "Invalid params: params must be an object");
            }
            return;
        }
        if (!hasId) {
            notification(method.asText(), params);
            return;
        }
        try {
            request(id, method.asText(), params == null ? json.createObjectNode() : (ObjectNode) params);
        } catch (RpcException e) {
            error(id, e.code(), e.getMessage());
        }
    }

    private void notification(String method, JsonNode params) {
        if (method.equals("notifications/initialized")) {
            initialized = true;
        } else if (method.equals("notifications/cancelled") && params != null) {
            JsonNode requestId = params.get("requestId");
            if (requestId != null) {
                calls.cancel(requestId);
            }
        }
        // every other notification is ignored, as the protocol asks
    }

    private void request(JsonNode id, String method, ObjectNode params) throws RpcException, IOException {
        switch (method) {
            case "initialize" -> result(id, initialize(params));
            case "ping" -> result(id, json.createObjectNode());
            case "tools/list" -> {
                ObjectNode r = json.createObjectNode();
                r.set("tools", catalog.list());
                result(id, r);
            }
            case "tools/call" -> call(id, params);
            default -> throw new RpcException(RpcException.METHOD_NOT_FOUND, "Method not found: " + ToolCatalog.printable(method));
        }
    }

    private ObjectNode initialize(ObjectNode params) {
        String asked = params.path("protocolVersion").asText("");
        String chosen = PROTOCOL_VERSIONS.contains(asked) ? asked : PROTOCOL_VERSIONS.get(0);
        ObjectNode r = json.createObjectNode().put("protocolVersion", chosen);
        ObjectNode capabilities = r.putObject("capabilities");
        capabilities.putObject("tools").put("listChanged", false);
        capabilities.putObject("experimental").putObject("agent-wormhole/events")
                .put("notification", EVENT_NOTIFICATION);
        r.putObject("serverInfo").put("name", "agent-wormhole").put("title", "agent-wormhole").put("version", version);
        r.put("instructions", "Hand text, files and secrets to another agent over a single-use, end-to-end encrypted channel. "
                + "One side calls host and gives the code to the other (over a channel you trust); the other calls connect "
                + "with it. Then send and receive; close when done. Received files live in the channel's private folder and "
                + "are deleted when the channel ends: copy what you want to keep first. Arrivals are also announced as "
                + EVENT_NOTIFICATION + " notifications (without the text).");
        return r;
    }

    private void call(JsonNode id, ObjectNode params) throws RpcException {
        JsonNode name = params.get("name");
        if (name == null || !name.isTextual()) {
            throw new RpcException(RpcException.INVALID_PARAMS, "Invalid params: tools/call needs a tool name");
        }
        String tool = name.asText();
        ObjectNode args = catalog.check(tool, params.get("arguments"));
        calls.start(id, stillWanted -> {
            ObjectNode outcome = run(tool, args);
            if (stillWanted.check()) {
                result(id, outcome);
            }
        });
    }

    /** Runs a tool: its result, or a tool error the agent sees ({@code isError}), never an exception. */
    private ObjectNode run(String tool, ObjectNode args) throws InterruptedException {
        try {
            return toolResult(tools.call(tool, args), false);
        } catch (ToolFailure f) {
            return toolResult(f.describe(json), true);
        } catch (RuntimeException e) {
            err.println("agent-wormhole mcp: internal error in " + tool + ": " + e.getClass().getName());
            return toolResult(json.createObjectNode().put("error", "internal").put("detail", "internal error: "
                    + e.getClass().getSimpleName()), true);
        }
    }

    private ObjectNode toolResult(ObjectNode structured, boolean isError) {
        ObjectNode r = json.createObjectNode();
        String text;
        try {
            text = json.writeValueAsString(structured);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        r.putArray("content").addObject().put("type", "text").put("text", text);
        r.set("structuredContent", structured);
        r.put("isError", isError);
        return r;
    }

    private void announce(ObjectNode params) {
        if (!initialized) {
            return;
        }
        ObjectNode n = json.createObjectNode().put("jsonrpc", "2.0").put("method", EVENT_NOTIFICATION);
        n.set("params", params);
        send(n);
    }

    private void result(JsonNode id, ObjectNode result) {
        ObjectNode r = json.createObjectNode().put("jsonrpc", "2.0");
        r.set("id", id);
        r.set("result", result);
        send(r);
    }

    private void error(JsonNode id, int code, String message) {
        ObjectNode r = json.createObjectNode().put("jsonrpc", "2.0");
        r.set("id", id == null ? json.nullNode() : id);
        r.putObject("error").put("code", code).put("message", message);
        send(r);
    }

    private void send(ObjectNode message) {
        try {
            transport.write(json.writeValueAsString(message));
        } catch (IOException e) {
            // stdout is gone: the client left; stdin's end follows and closes everything
        }
    }
}
