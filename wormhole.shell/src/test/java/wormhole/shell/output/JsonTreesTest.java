package wormhole.shell.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The short commands' JSON without a mapper reads and writes exactly what the mapper does. */
class JsonTreesTest {
    private final ObjectMapper mapper = JsonLines.mapper();

    private ObjectNode everyKind() {
        ObjectNode n = JsonTrees.object().put("type", "status").put("body", JsonLinesTest.HOSTILE)
                .put("int", -7).put("long", 1L << 40).put("big", new BigInteger("123456789012345678901234567890"))
                .put("double", 0.1).put("yes", true).put("no", false).putNull("none");
        n.putArray("features").add("ack").add("stream").add(3).addObject().put("deep", "x");
        n.putObject("nested").putArray("empty");
        return n;
    }

    @Test
    void writesTheSameBytesAsTheMapper() throws IOException {
        ObjectNode n = everyKind();
        assertArrayEquals(mapper.writeValueAsBytes(n), JsonTrees.bytes(n));
        assertEquals(mapper.writeValueAsString(n), JsonTrees.string(n));
    }

    @Test
    void readsTheSameTreeAsTheMapper() throws IOException {
        byte[] json = mapper.writeValueAsBytes(everyKind());
        JsonNode read = JsonTrees.read(json);
        assertEquals(mapper.readTree(json), read);
        assertEquals(everyKind(), read);
        assertEquals(JsonLinesTest.HOSTILE, read.path("body").asText());
    }

    @Test
    void readsOnlyTheFirstValueAndNothingFromEmptyInput() throws IOException {
        assertEquals(JsonTrees.object().put("a", 1), JsonTrees.read("{\"a\":1}\n{\"b\":2}".getBytes(StandardCharsets.UTF_8)));
        assertNull(JsonTrees.read(new byte[0]));
        assertNull(JsonTrees.read("  \n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void malformedOrTooDeepInputIsAnIoException() {
        for (String bad : new String[] {"{\"a\":", "{\"a\" 1}", "[1,2", "nope", "{\"a\":1,}"}) {
            assertThrows(IOException.class, () -> JsonTrees.read(bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
        byte[] deep = "[".repeat(5_000).getBytes(StandardCharsets.UTF_8);
        assertThrows(IOException.class, () -> JsonTrees.read(deep));
    }
}
