package wormhole.api.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import wormhole.api.Role;

class MessageCodecTest {
    private final MessageCodec codec = new MessageCodec();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsPythonsVersionMessageWithItsSpacing() throws MessageFormatException {
        Message.Version v = codec.decodeVersion(utf8("{\"version\": 1, \"role\": \"host\"}"));
        assertEquals(1, v.version());
        assertEquals(Role.HOST, v.role());
        assertEquals(Set.of(), v.features());
        assertEquals("", v.implementation());
        assertEquals(Role.PEER, codec.decodeVersion(utf8("{\"version\": 1, \"role\": \"peer\"}")).role());
    }

    @Test
    void aStreamEndCarriesItsSha256OnlyWhenItHasOne() throws Exception {
        String sha = "0".repeat(63) + "f";
        Message.StreamEnd hashed = new Message.StreamEnd(3, 9, java.util.Optional.of(sha));
        Message.StreamEnd unhashed = new Message.StreamEnd(3, 9, java.util.Optional.empty());
        assertEquals(hashed, codec.decode(codec.encode(hashed)));
        assertEquals(unhashed, codec.decode(codec.encode(unhashed)));
        assertEquals("{\"type\":\"stream-end\",\"id\":3,\"size\":9}",
                new String(codec.encode(unhashed), java.nio.charset.StandardCharsets.UTF_8));
        for (String bad : new String[] {"\"F" + sha.substring(1) + "\"", "\"abc\"", "null", "42"}) {
            assertThrows(MessageFormatException.class, () -> codec.decode(
                    utf8("{\"type\":\"stream-end\",\"id\":3,\"size\":9,\"sha256\":" + bad + "}")), bad);
        }
    }

    @Test
    void readsPythonsTextAndFileMessages() throws MessageFormatException {
        Message text = codec.decode(utf8("{\"type\": \"text\", \"body\": \"hello from laptop\"}"));
        assertEquals(new Message.Text("hello from laptop"), text);
        Message file = codec.decode(utf8(
                "{\"type\": \"file\", \"name\": \"config.json\", \"size\": 8, \"body\": \"eyJhIjoxfQo=\"}"));
        Message.File f = assertInstanceOf(Message.File.class, file);
        assertEquals("config.json", f.name());
        assertEquals(8, f.size());
        assertArrayEquals(utf8("{\"a\":1}\n"), f.content());
    }

    @Test
    void versionRoundTripKeepsFeaturesAndImplementation() throws MessageFormatException {
        Message.Version ours = new Message.Version(1, Role.PEER, Set.of("close", "ping"), "agent-wormhole-java");
        assertEquals(ours, codec.decodeVersion(codec.encode(ours)));
    }

    @Test
    void ourVersionMessageKeepsThePythonFields() throws IOException {
        JsonNode node = new ObjectMapper().readTree(
                codec.encode(new Message.Version(1, Role.HOST, Set.of(), "")));
        assertEquals(1, node.get("version").intValue());
        assertEquals("host", node.get("role").textValue());
    }

    @Test
    void fileRoundTripCarriesEveryByteValueInBase64() throws MessageFormatException {
        byte[] content = new byte[256 * 3 + 1];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) i;
        }
        byte[] json = codec.encode(new Message.File("bytes.bin", content.length, content));
        Message.File back = assertInstanceOf(Message.File.class, codec.decode(json));
        assertEquals("bytes.bin", back.name());
        assertEquals(content.length, back.size());
        assertArrayEquals(content, back.content());
    }

    @Test
    void textRoundTripKeepsQuotesNewlinesAndUnicode() throws MessageFormatException {
        String body = "line \"one\"\nline\ttwo \\ ✓ 😀 \u0000";
        assertEquals(new Message.Text(body), codec.decode(codec.encode(new Message.Text(body))));
    }

    @Test
    void closeAndPingRoundTrip() throws MessageFormatException {
        assertInstanceOf(Message.Close.class, codec.decode(codec.encode(new Message.Close())));
        assertInstanceOf(Message.Ping.class, codec.decode(codec.encode(new Message.Ping())));
    }

    @Test
    void unknownTypesAreUnknown() throws MessageFormatException {
        assertEquals(new Message.Unknown("emoji"), codec.decode(utf8("{\"type\": \"emoji\", \"body\": 3}")));
        assertEquals(new Message.Unknown(""), codec.decode(utf8("{\"body\": \"no type\"}")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "{\"type\": \"text\"", "[1, 2]", "\"text\"", "42", "null"})
    void whatIsNotAJsonObjectIsRefused(String plaintext) {
        assertThrows(MessageFormatException.class, () -> codec.decode(utf8(plaintext)));
        assertThrows(MessageFormatException.class, () -> codec.decodeVersion(utf8(plaintext)));
    }

    @Test
    void invalidUtf8IsRefused() {
        assertThrows(MessageFormatException.class,
                () -> codec.decode(new byte[] {'{', '"', 't', '"', ':', '"', (byte) 0xff, '"', '}'}));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\": \"text\"}",
        "{\"type\": \"text\", \"body\": 5}",
        "{\"type\": \"file\", \"name\": \"a\"}",
        "{\"type\": \"file\", \"body\": \"eyJhIjoxfQo=\"}",
        "{\"type\": \"file\", \"name\": \"a\", \"size\": 3, \"body\": \"not base64!\"}",
    })
    void aKnownTypeWithoutItsFieldsIsRefused(String plaintext) {
        assertThrows(MessageFormatException.class, () -> codec.decode(utf8(plaintext)));
    }

    @Test
    void aVersionMessageWithoutVersionOrRoleIsRefused() {
        for (String s : List.of("{\"role\": \"host\"}", "{\"version\": 1}", "{\"version\": 1, \"role\": \"guest\"}",
                "{\"version\": \"one\", \"role\": \"host\"}", "{\"type\": \"text\", \"body\": \"hi\"}")) {
            assertThrows(MessageFormatException.class, () -> codec.decodeVersion(utf8(s)), s);
        }
    }
}
