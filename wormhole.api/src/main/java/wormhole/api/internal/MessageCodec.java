package wormhole.api.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;
import wormhole.api.Role;

/**
 * Turns messages into the UTF-8 JSON of the wire protocol and back. Version-1 field names and
 * types are kept exactly, so a Python 0.1.x end reads what we write.
 */
public final class MessageCodec {
    private final ObjectMapper json = new ObjectMapper();

    /** Creates a codec. */
    public MessageCodec() {
    }

    /**
     * @param message the message
     * @return its UTF-8 JSON
     */
    public byte[] encode(Message message) {
        ObjectNode node = json.createObjectNode();
        if (message instanceof Message.Version v) {
            node.put("version", v.version());
            node.put("role", v.role().wireName());
            ArrayNode features = node.putArray("features");
            v.features().stream().sorted().forEach(features::add);
            if (!v.implementation().isEmpty()) {
                node.put("implementation", v.implementation());
            }
        } else if (message instanceof Message.Text t) {
            node.put("type", "text");
            node.put("body", t.body());
        } else if (message instanceof Message.File f) {
            node.put("type", "file");
            node.put("name", f.name());
            node.put("size", f.size());
            node.put("body", Base64.getEncoder().encodeToString(f.content()));
        } else if (message instanceof Message.Close) {
            node.put("type", "close");
        } else if (message instanceof Message.Ping) {
            node.put("type", "ping");
        } else if (message instanceof Message.Unknown u) {
            node.put("type", u.type());
        }
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree failed to serialise", e);
        }
    }

    /**
     * Reads the version message, which has no {@code type} field.
     *
     * @param plaintext the decrypted frame
     * @return the version message
     * @throws MessageFormatException when it is not a version message
     */
    public Message.Version decodeVersion(byte[] plaintext) throws MessageFormatException {
        JsonNode node = parse(plaintext);
        JsonNode version = node.get("version");
        if (version == null || !version.isIntegralNumber() || !version.canConvertToInt()) {
            throw new MessageFormatException("the first message is not a version message");
        }
        String roleName = node.path("role").asText("");
        Role role = switch (roleName) {
            case "host" -> Role.HOST;
            case "peer" -> Role.PEER;
            default -> throw new MessageFormatException("the version message names no role");
        };
        Set<String> features = new LinkedHashSet<>();
        for (JsonNode f : node.path("features")) {
            if (f.isTextual()) {
                features.add(f.asText());
            }
        }
        return new Message.Version(version.asInt(), role, features, node.path("implementation").asText(""));
    }

    /**
     * Reads a message after the version exchange.
     *
     * @param plaintext the decrypted frame
     * @return the message; {@link Message.Unknown} for a type this build does not know
     * @throws MessageFormatException when it is not JSON or a known type lacks a field
     */
    public Message decode(byte[] plaintext) throws MessageFormatException {
        JsonNode node = parse(plaintext);
        String type = node.path("type").asText("");
        switch (type) {
            case "text": {
                JsonNode body = node.get("body");
                if (body == null || !body.isTextual()) {
                    throw new MessageFormatException("a text message has no body");
                }
                return new Message.Text(body.asText());
            }
            case "file": {
                JsonNode name = node.get("name");
                JsonNode body = node.get("body");
                if (name == null || !name.isTextual() || body == null || !body.isTextual()) {
                    throw new MessageFormatException("a file message lacks its name or body");
                }
                byte[] content;
                try {
                    content = Base64.getDecoder().decode(body.asText());
                } catch (IllegalArgumentException e) {
                    throw new MessageFormatException("a file message's body is not base64");
                }
                return new Message.File(name.asText(), node.path("size").asLong(content.length), content);
            }
            case "close":
                return new Message.Close();
            case "ping":
                return new Message.Ping();
            default:
                return new Message.Unknown(type);
        }
    }

    private JsonNode parse(byte[] plaintext) throws MessageFormatException {
        try {
            JsonNode node = json.readTree(plaintext);
            if (node == null || !node.isObject()) {
                throw new MessageFormatException("a message is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new MessageFormatException("a message is not valid JSON");
        }
    }
}
