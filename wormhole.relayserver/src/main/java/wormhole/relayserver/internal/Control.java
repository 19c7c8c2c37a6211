package wormhole.relayserver.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import wormhole.relayserver.RelayConfig;

/** The relay's control messages (WebSocket text), written and read as JSON. */
final class Control {
    /** Longest text message accepted; every valid control message is far shorter. */
    static final int MAX_TEXT = 4096;

    private static final ObjectMapper JSON = new ObjectMapper();

    private Control() {
    }

    /** @return the parsed object, or null when the text is not a JSON object */
    static JsonNode parse(String text) {
        if (text.length() > MAX_TEXT) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(text);
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** @return the text of field {@code name}, or null when absent or not text */
    static String textField(JsonNode msg, String name) {
        JsonNode n = msg.get(name);
        return n != null && n.isTextual() ? n.asText() : null;
    }

    static String status(String event) {
        return write(obj("status").put("event", event));
    }

    /** {@code paired} for our clients: says whether the other side speaks our protocol too. */
    static String pairedV2(boolean peerResumable) {
        return write(obj("status").put("event", "paired").put("peer_protocol", peerResumable ? 2 : 1));
    }

    static String peerGoneFinal() {
        return write(obj("status").put("event", "peer_disconnected").put("final", true));
    }

    static String error(ErrorCode code, String message) {
        return write(obj("error").put("code", code.wire()).put("message", message));
    }

    static String welcome(String nameplate, String token, Party role, RelayConfig c) {
        ObjectNode n = obj("welcome").put("role", role.wire()).put("token", token);
        if (nameplate != null) {
            n.put("nameplate", nameplate);
        }
        ObjectNode limits = n.putObject("limits");
        limits.put("max_frame_bytes", c.maxFrameBytes())
                .put("max_message_bytes", c.maxMessageBytes())
                .put("frames_per_window", c.framesPerWindow())
                .put("bytes_per_window", c.bytesPerWindow())
                .put("window_ms", c.rateWindow().toMillis())
                .put("inactivity_ms", c.inactivityTimeout().toMillis())
                .put("buffer_bytes", c.bufferBytes())
                .put("resume_grace_ms", c.resumeGrace().toMillis());
        return write(n);
    }

    static String resumed(long received, long consumed, String peer, Boolean peerResumable) {
        ObjectNode n = obj("resumed").put("received", received).put("consumed", consumed).put("peer", peer);
        if (peerResumable != null) {
            n.put("peer_protocol", peerResumable ? 2 : 1);
        }
        return write(n);
    }

    static String ack(long received, long consumed) {
        return write(obj("ack").put("received", received).put("consumed", consumed));
    }

    static String pong() {
        return write(obj("pong"));
    }

    private static ObjectNode obj(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    private static String write(ObjectNode n) {
        return n.toString();
    }
}
