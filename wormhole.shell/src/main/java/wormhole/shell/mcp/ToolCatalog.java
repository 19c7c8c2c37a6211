package wormhole.shell.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tools this server offers, each with the JSON schema of its arguments. The same schemas answer
 * {@code tools/list} and check every {@code tools/call}, so what the client is told and what the
 * server accepts cannot drift apart.
 */
final class ToolCatalog {
    /** The longest a {@code receive} or a receipt may be waited for, in seconds. */
    static final int MAX_WAIT_SECONDS = 600;

    private final ObjectMapper json;
    private final Map<String, ObjectNode> tools = new LinkedHashMap<>();

    ToolCatalog(ObjectMapper json) {
        this.json = json;
        add("host", "Host a new end-to-end encrypted channel and return its code. Give the code to the other agent "
                        + "(over a channel you trust); it calls connect with it. In direct mode the other agent needs one of "
                        + "the returned connect strings (code@address); through a relay the code alone. Returns at once: "
                        + "call receive to wait for the peer (a 'connected' event) and for what it sends.",
                List.of(), prop("direct", "boolean", "listen on a TCP port on this machine instead of using a relay (the default when no relay is configured)"),
                prop("relay", "string", "relay URL, ws://HOST:PORT or wss://HOST (default: the server's --relay, "
                        + "$AGENT_WORMHOLE_RELAY_URL, or relay_url in the config file)"),
                range(prop("port", "integer", "direct: the port to listen on (default: any free port)"), 0, 65535),
                prop("bind", "string", "direct: the address to listen on (default: all interfaces)"));
        add("connect", "Join a channel another agent hosted. Returns once the key exchange succeeded, with the verifier "
                        + "(the same 16 digits on both ends means no one is in the middle); fails with handshake_failed "
                        + "(wrong code), connection_failed (host or relay unreachable) or timeout.",
                List.of("code"), prop("code", "string", "the code: code@address for a direct host, the code alone through a relay"),
                prop("relay", "string", "relay URL (default: the server's --relay, $AGENT_WORMHOLE_RELAY_URL, or the config file)"));
        add("send", "Send text or a file (or a folder, as one archive) through a connected channel. Returns once the peer "
                        + "confirmed it. Secrets are safe in text: they travel end-to-end encrypted and are never logged.",
                List.of("code"), prop("code", "string", "the channel's code"),
                prop("text", "string", "the text to send (give text or file, not both)"),
                prop("file", "string", "path of a file or folder to send"),
                prop("name", "string", "with file: the name the peer sees (default: the file's own name)"),
                range(prop("timeout_seconds", "number", "how long to wait for the peer's receipt (default 60)"), 1, MAX_WAIT_SECONDS));
        add("receive", "Wait for what arrived on a channel since the last call: texts, files (with the path where they were "
                        + "saved, in the channel's private folder, deleted when the channel ends) and channel events "
                        + "(connected, closed, ...). Returns as soon as something is there, or with no items at the time-out.",
                List.of("code"), prop("code", "string", "the channel's code"),
                range(prop("timeout_seconds", "number", "how long to wait when nothing is there yet (default 30, 0 to only look)"),
                        0, MAX_WAIT_SECONDS));
        add("status", "List the channels of this server: code, role, mode, state, verifier, and items not yet received.",
                List.of());
        add("close", "Close a channel: say goodbye to the peer, then delete every file the channel received.",
                List.of("code"), prop("code", "string", "the channel's code"));
    }

    private ObjectNode prop(String name, String type, String description) {
        return json.createObjectNode().put("name", name).put("type", type).put("description", description);
    }

    private static ObjectNode range(ObjectNode prop, int min, int max) {
        return prop.put("minimum", min).put("maximum", max);
    }

    private void add(String name, String description, List<String> required, ObjectNode... props) {
        ObjectNode schema = json.createObjectNode().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        for (ObjectNode p : props) {
            ObjectNode copy = p.deepCopy();
            copy.remove("name");
            properties.set(p.get("name").asText(), copy);
        }
        if (!required.isEmpty()) {
            ArrayNode r = schema.putArray("required");
            required.forEach(r::add);
        }
        schema.put("additionalProperties", false);
        ObjectNode tool = json.createObjectNode().put("name", name).put("title", title(name)).put("description", description);
        tool.set("inputSchema", schema);
        tool.set("annotations", annotations(name));
        tools.put(name, tool);
    }

    /** Hints for the host's permission prompts: what only looks, what reaches the network, what deletes. */
    private ObjectNode annotations(String name) {
        boolean looks = name.equals("status") || name.equals("receive");
        ObjectNode a = json.createObjectNode().put("title", title(name)).put("readOnlyHint", looks);
        if (!looks) {
            a.put("destructiveHint", name.equals("close")).put("idempotentHint", name.equals("close"));
        }
        return a.put("openWorldHint", !name.equals("status") && !name.equals("close"));
    }

    private static String title(String name) {
        return switch (name) {
            case "host" -> "Host a channel";
            case "connect" -> "Connect to a channel";
            case "send" -> "Send text or a file";
            case "receive" -> "Receive what arrived";
            case "status" -> "List channels";
            default -> "Close a channel";
        };
    }

    /** @return the {@code tools} array of {@code tools/list} */
    ArrayNode list() {
        ArrayNode all = json.createArrayNode();
        tools.values().forEach(t -> all.add(t.deepCopy()));
        return all;
    }

    Optional<ObjectNode> schema(String tool) {
        return Optional.ofNullable(tools.get(tool)).map(t -> (ObjectNode) t.get("inputSchema"));
    }

    /**
     * Checks a call's arguments against the tool's schema.
     *
     * @param tool      the tool's name
     * @param arguments the arguments, or null when the call gave none
     * @return the arguments as an object (empty when none were given)
     * @throws RpcException {@code -32602} for an unknown tool or arguments that break the schema
     */
    ObjectNode check(String tool, JsonNode arguments) throws RpcException {
        ObjectNode schema = schema(tool).orElseThrow(() -> new RpcException(RpcException.INVALID_PARAMS, "Unknown tool: " + printable(tool)));
        if (arguments == null || arguments.isNull() || arguments.isMissingNode()) {
            arguments = json.createObjectNode();
        }
        if (!arguments.isObject()) {
            throw new RpcException(RpcException.INVALID_PARAMS, "arguments of " + tool + " must be an object");
        }
        JsonNode properties = schema.get("properties");
        for (Map.Entry<String, JsonNode> field : arguments.properties()) {
            JsonNode p = properties.get(field.getKey());
            if (p == null) {
                throw new RpcException(RpcException.INVALID_PARAMS, tool + " takes no argument '" + printable(field.getKey()) + "'");
            }
            checkType(tool, field.getKey(), p, field.getValue());
        }
        for (JsonNode r : schema.path("required")) {
            if (!arguments.has(r.asText())) {
                throw new RpcException(RpcException.INVALID_PARAMS, tool + " needs the argument '" + r.asText() + "'");
            }
        }
        return (ObjectNode) arguments;
    }

    private static void checkType(String tool, String name, JsonNode p, JsonNode value) throws RpcException {
        String type = p.get("type").asText();
        boolean ok = switch (type) {
            case "string" -> value.isTextual();
            case "boolean" -> value.isBoolean();
            case "integer" -> value.isIntegralNumber() || value.isNumber() && value.asDouble() == Math.rint(value.asDouble());
            case "number" -> value.isNumber();
            default -> false;
        };
        if (!ok) {
            throw new RpcException(RpcException.INVALID_PARAMS, "argument '" + name + "' of " + tool + " must be " + article(type) + " " + type);
        }
        if (p.has("minimum") && (value.asDouble() < p.get("minimum").asDouble() || value.asDouble() > p.get("maximum").asDouble())) {
            throw new RpcException(RpcException.INVALID_PARAMS, "argument '" + name + "' of " + tool + " must be from "
                    + p.get("minimum").asInt() + " to " + p.get("maximum").asInt());
        }
    }

    private static String article(String type) {
        return type.startsWith("i") ? "an" : "a";
    }

    /** A name from the client, cut short and stripped of control characters, for an error message. */
    static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
