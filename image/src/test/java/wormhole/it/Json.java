package wormhole.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Predicate;

/** Reads the agent contract's JSON lines in tests. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** Parses one stdout line; fails the test if it is not a JSON object. */
    static JsonNode parse(String line) {
        try {
            JsonNode node = MAPPER.readTree(line);
            if (node == null || !node.isObject()) {
                throw new AssertionError("stdout line is not a JSON object: " + line);
            }
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException("stdout line is not JSON: " + line, e);
        }
    }

    /** Matches a status line with this event. */
    static Predicate<String> status(String event) {
        return line -> {
            JsonNode n = parse(line);
            return n.path("type").asText().equals("status") && n.path("event").asText().equals(event);
        };
    }

    /** Matches a line of this type. */
    static Predicate<String> type(String type) {
        return line -> parse(line).path("type").asText().equals(type);
    }
}
