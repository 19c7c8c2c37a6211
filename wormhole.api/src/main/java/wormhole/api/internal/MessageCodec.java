package wormhole.api.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import wormhole.api.Role;

/**
 * Turns messages into the UTF-8 JSON of the wire protocol and back. Version-1 field names and
 * types are kept exactly, so a Python 0.1.x end reads what we write.
 */
public final class MessageCodec {
    /**
     * The first byte of a chunk frame (feature {@code stream}). A JSON text never starts with it, so a
     * chunk needs no base64 and no envelope: tag, 8-byte big-endian stream id, then the data.
     */
    public static final byte CHUNK_TAG = 0x01;
    /** Bytes before a chunk's data: the tag and the stream id. */
    public static final int CHUNK_HEADER = 9;

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
            putId(node, t.id());
            node.put("body", t.body());
        } else if (message instanceof Message.File f) {
            node.put("type", "file");
            putId(node, f.id());
            node.put("name", f.name());
            node.put("size", f.size());
            node.put("body", Base64.getEncoder().encodeToString(f.content()));
        } else if (message instanceof Message.StreamStart st) {
            node.put("type", "stream").put("id", st.id()).put("name", st.name());
            if (st.size() >= 0) {
                node.put("size", st.size());
            } else {
                node.putNull("size");
            }
            node.put("kind", st.kind().wireName());
        } else if (message instanceof Message.StreamEnd e) {
            node.put("type", "stream-end").put("id", e.id()).put("size", e.size());
            e.sha256().ifPresent(sha -> node.put("sha256", sha));
        } else if (message instanceof Message.StreamAbort a) {
            node.put("type", "stream-abort").put("id", a.id()).put("detail", a.detail());
        } else if (message instanceof Message.Ack a) {
            node.put("type", "ack").put("id", a.id());
        } else if (message instanceof Message.Nack n) {
            node.put("type", "nack").put("id", n.id()).put("error", n.error()).put("detail", n.detail());
        } else if (message instanceof Message.Chunk) {
            throw new IllegalArgumentException("chunks are framed by the engine, not encoded as JSON");
        } else if (message instanceof Message.Close) {
            node.put("type", "close");
        } else if (message instanceof Message.Ping) {
            node.put("type", "ping");
        } else if (message instanceof Message.DirectHints d) {
            node.put("type", "direct-hints");
            d.hints().forEach(node.putArray("hints")::add);
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
        if (plaintext.length > 0 && plaintext[0] == CHUNK_TAG) {
            if (plaintext.length < CHUNK_HEADER) {
                throw new MessageFormatException("a chunk frame is too short");
            }
            long id = 0;
            for (int i = 1; i < CHUNK_HEADER; i++) {
                id = id << 8 | (plaintext[i] & 0xff);
            }
            return new Message.Chunk(id, plaintext, CHUNK_HEADER, plaintext.length - CHUNK_HEADER);
        }
        JsonNode node = parse(plaintext);
        String type = node.path("type").asText("");
        switch (type) {
            case "text": {
                JsonNode body = node.get("body");
                if (body == null || !body.isTextual()) {
                    throw new MessageFormatException("a text message has no body");
                }
                return new Message.Text(body.asText(), optionalId(node));
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
                return new Message.File(name.asText(), node.path("size").asLong(content.length), content, optionalId(node));
            }
            case "stream": {
                JsonNode name = node.get("name");
                if (name == null || !name.isTextual()) {
                    throw new MessageFormatException("a stream message has no name");
                }
                JsonNode size = node.get("size");
                long declared = -1;
                if (size != null && !size.isNull()) {
                    if (!size.canConvertToLong() || !size.isIntegralNumber() || size.asLong() < 0) {
                        throw new MessageFormatException("a stream message's size is not a byte count");
                    }
                    declared = size.asLong();
                }
                StreamKind kind = StreamKind.fromWire(node.path("kind").asText(""))
                        .orElseThrow(() -> new MessageFormatException("a stream message has an unknown kind"));
                return new Message.StreamStart(requiredId(node), name.asText(), declared, kind);
            }
            case "stream-end": {
                JsonNode size = node.get("size");
                if (size == null || !size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0) {
                    throw new MessageFormatException("a stream-end message lacks its size");
                }
                JsonNode sha = node.get("sha256");
                if (sha != null && !(sha.isTextual() && sha.asText().matches("[0-9a-f]{64}"))) {
                    throw new MessageFormatException("a stream-end message has a malformed SHA-256");
                }
                return new Message.StreamEnd(requiredId(node), size.asLong(),
                        Optional.ofNullable(sha).map(JsonNode::asText));
            }
            case "stream-abort":
                return new Message.StreamAbort(requiredId(node), node.path("detail").asText(""));
            case "ack":
                return new Message.Ack(requiredId(node));
            case "nack":
                return new Message.Nack(requiredId(node), node.path("error").asText("refused"),
                        node.path("detail").asText(""));
            case "close":
                return new Message.Close();
            case "ping":
                return new Message.Ping();
            case "direct-hints": {
                java.util.List<String> hints = new java.util.ArrayList<>();
                for (JsonNode h : node.path("hints")) {
                    if (h.isTextual() && hints.size() < Message.DirectHints.MAX_HINTS) {
                        hints.add(h.asText());
                    }
                }
                return new Message.DirectHints(hints);
            }
            default:
                return new Message.Unknown(type);
        }
    }

    /**
     * Writes a chunk frame's header.
     *
     * @param frame the plaintext buffer, at least {@link #CHUNK_HEADER} bytes
     * @param id    the stream id
     */
    public static void chunkHeader(byte[] frame, long id) {
        frame[0] = CHUNK_TAG;
        for (int i = 8; i >= 1; i--) {
            frame[i] = (byte) id;
            id >>>= 8;
        }
    }

    private static void putId(ObjectNode node, long id) {
        if (id != 0) {
            node.put("id", id);
        }
    }

    private static long optionalId(JsonNode node) throws MessageFormatException {
        return node.has("id") ? requiredId(node) : 0;
    }

    private static long requiredId(JsonNode node) throws MessageFormatException {
        JsonNode id = node.get("id");
        if (id == null || !id.isIntegralNumber() || !id.canConvertToLong() || id.asLong() <= 0) {
            throw new MessageFormatException("a message's id is not a positive integer");
        }
        return id.asLong();
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
