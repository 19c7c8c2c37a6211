package wormhole.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads the known-answer files copied from the shared vectors into test resources. */
final class Vectors {
    private static final HexFormat HEX = HexFormat.of();

    private Vectors() {
    }

    /** @return the root object of {@code /vectors/<name>} */
    static JsonNode load(String name) {
        try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /vectors/" + name);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return one argument pair (name, node) per element of {@code array} in {@code file} */
    static Stream<Arguments> each(String file, String array) {
        List<Arguments> out = new ArrayList<>();
        int index = 0;
        for (JsonNode node : load(file).get(array)) {
            out.add(Arguments.of(index++ + " " + node.get("name").asText(), node));
        }
        return out.stream();
    }

    /** @return the bytes of the hex string at {@code field} */
    static byte[] hex(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null) {
            throw new IllegalArgumentException("vector has no field " + field);
        }
        return HEX.parseHex(value.asText());
    }

    /** @return lowercase hex */
    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }
}
