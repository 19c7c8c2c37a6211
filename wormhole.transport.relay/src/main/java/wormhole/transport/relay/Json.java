package wormhole.transport.relay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The client's relay control messages (docs/relay-protocol.md). */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** @return the object, or null for anything else */
    static JsonNode parse(String text) {
        try {
            JsonNode n = MAPPER.readTree(text);
            return n != null && n.isObject() ? n : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Our host's join: no code, the relay assigns the nameplate. */
    static String hostJoin() {
        return MAPPER.createObjectNode().put("action", "join").put("role", "host").put("protocol", 2).toString();
    }

    /**
     * A host's join under a code it chose (a Python 0.1.x code), plus {@code protocol}, which a Python
     * relay ignores.
     */
    static String hostJoin(String channelId) {
        return MAPPER.createObjectNode().put("action", "join").put("code", channelId).put("role", "host")
                .put("protocol", 2).toString();
    }

    /** The Python join plus {@code protocol}, which a Python relay ignores. */
    static String peerJoin(String channelId) {
        return MAPPER.createObjectNode().put("action", "join").put("code", channelId).put("role", "peer")
                .put("protocol", 2).toString();
    }

    static String resume(String token, long received) {
        return MAPPER.createObjectNode().put("action", "resume").put("token", token).put("received", received)
                .toString();
    }

    static String ack(long consumed) {
        return MAPPER.createObjectNode().put("action", "ack").put("received", consumed).toString();
    }

    static String close() {
        return "{\"action\":\"close\"}";
    }
}
