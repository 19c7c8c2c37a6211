package wormhole.api.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import wormhole.api.ChannelCode;
import wormhole.api.ChannelEvent;
import wormhole.api.EndReason;
import wormhole.api.Feature;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.HostedLink;
import wormhole.testing.Events;

/**
 * A Java end against the recorded frames of a Python 0.1.x end (session-v1.json): the Java end's
 * SPAKE2 message must match the recording byte for byte, the Python frames must open and become
 * events, and what the Java end encrypts must open with the recording's direction keys.
 */
@Timeout(10)
class SessionVectorCompatTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path inbox;
    @TempDir
    Path outbox;

    static Stream<JsonNode> cases() throws IOException {
        try (InputStream in = SessionVectorCompatTest.class.getResourceAsStream("/vectors/session-v1.json")) {
            assertNotNull(in, "vectors/session-v1.json is missing from the test resources");
            List<JsonNode> cases = new ArrayList<>();
            JSON.readTree(in).get("cases").forEach(cases::add);
            assertFalse(cases.isEmpty());
            return cases.stream();
        }
    }

    private static byte[] hex(JsonNode node, String field) {
        return HEX.parseHex(node.get(field).asText());
    }

    /** The payloads the given side sent, in the vector's order. */
    private static List<byte[]> framesFrom(JsonNode vector, String side) {
        List<byte[]> frames = new ArrayList<>();
        for (JsonNode f : vector.get("frames")) {
            if (f.get("from").asText().equals(side)) {
                frames.add(hex(f, "payload_hex"));
            }
        }
        return frames;
    }

    private static JsonNode frame(JsonNode vector, String side, String kind) {
        for (JsonNode f : vector.get("frames")) {
            if (f.get("from").asText().equals(side) && f.get("kind").asText().equals(kind)) {
                return f;
            }
        }
        throw new AssertionError("no " + kind + " frame from " + side);
    }

    /** Opens a frame the way a Python end would: AES-256-GCM, the counter as a 12-byte big-endian nonce. */
    private static JsonNode openAsPython(byte[] key, long counter, byte[] payload) throws GeneralSecurityException,
            IOException {
        byte[] nonce = ByteBuffer.allocate(12).putLong(4, counter).array();
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        return JSON.readTree(gcm.doFinal(payload));
    }

    private EngineSettings settings(byte[] entropy, Set<Feature> features) {
        return new EngineSettings(inbox, new FixedEntropyRandom(entropy), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofHours(1), features, "agent-wormhole-java", 1024);
    }

    private static void assertVersion1Connected(ChannelEvent.Connected connected) {
        assertFalse(connected.verifier().isEmpty());
        assertEquals(Set.of(), connected.peerFeatures(), "a Python end offers no features");
        assertEquals("", connected.peerName());
    }

    @ParameterizedTest(name = "{index}: Java peer, Python host frames")
    @MethodSource("cases")
    void aJavaPeerTalksToThePythonHost(JsonNode vector) throws Exception {
        ScriptedLink python = new ScriptedLink(framesFrom(vector, "host"));
        Events events = new Events();
        ChannelCode code = ChannelCode.parse(vector.get("code").asText());
        byte[] peerToHost = hex(vector, "peer_to_host_key_hex");
        ChannelEngine engine = ChannelEngine.peer(() -> python, code,
                settings(hex(vector, "entropy_b_hex"), Set.of()), UpgradeSettings.NONE, events);
        try {
            assertArrayEquals(hex(vector, "msg_b_hex"), python.nextSent(), "the SPAKE2 message");
            ChannelEvent.Connected connected = events.next(ChannelEvent.Connected.class);
            assertVersion1Connected(connected);
            assertEquals(Set.of(), engine.sharedFeatures());

            JsonNode version = openAsPython(peerToHost, 0, python.nextSent());
            assertEquals(1, version.get("version").intValue());
            assertEquals("peer", version.get("role").textValue());

            String hostText = frame(vector, "host", "text").get("plaintext_utf8").asText();
            assertEquals(JSON.readTree(hostText).get("body").asText(),
                    events.next(ChannelEvent.TextReceived.class).body());

            // A file to a peer without features goes as one version-1 file message.
            byte[] content = hex(vector, "file_content_hex");
            Path file = Files.write(outbox.resolve("local-name.json"), content);
            engine.sendFile(file, "config.json");
            JsonNode sent = openAsPython(peerToHost, 1, python.nextSent());
            assertEquals("file", sent.get("type").textValue());
            assertEquals("config.json", sent.get("name").textValue());
            assertEquals(content.length, sent.get("size").longValue());
            assertEquals(JSON.readTree(frame(vector, "peer", "file").get("plaintext_utf8").asText()).get("body"),
                    sent.get("body"), "the same base64 body as Python's");

            engine.sendText("hello from java");
            JsonNode text = openAsPython(peerToHost, 2, python.nextSent());
            assertEquals("text", text.get("type").textValue());
            assertEquals("hello from java", text.get("body").textValue());

            engine.close();
            events.ended(EndReason.CLOSED);
            assertEquals(0, python.unreadSent(), "no goodbye to a version-1 end");
            assertTrue(python.isClosed());
        } finally {
            engine.close();
        }
    }

    @ParameterizedTest(name = "{index}: Java host, Python peer frames")
    @MethodSource("cases")
    void aJavaHostTalksToThePythonPeer(JsonNode vector) throws Exception {
        ScriptedLink python = new ScriptedLink(framesFrom(vector, "peer"));
        ChannelCode code = ChannelCode.parse(vector.get("code").asText());
        HostedLink hosted = new HostedLink() {
            @Override
            public String nameplate() {
                return code.nameplate();
            }

            @Override
            public FrameLink awaitPeer(Duration timeout) {
                return python;
            }

            @Override
            public void close() {
            }
        };
        Events events = new Events();
        byte[] hostToPeer = hex(vector, "host_to_peer_key_hex");
        // All features offered: a Python peer offers none, so none may be used.
        ChannelEngine engine = ChannelEngine.host(hosted, code,
                settings(hex(vector, "entropy_a_hex"), EnumSet.allOf(Feature.class)), UpgradeSettings.NONE, events);
        try {
            assertArrayEquals(hex(vector, "msg_a_hex"), python.nextSent(), "the SPAKE2 message");
            assertVersion1Connected(events.next(ChannelEvent.Connected.class));
            assertEquals(Set.of(), engine.sharedFeatures());

            JsonNode version = openAsPython(hostToPeer, 0, python.nextSent());
            assertEquals(1, version.get("version").intValue());
            assertEquals("host", version.get("role").textValue());

            ChannelEvent.FileReceived file = events.next(ChannelEvent.FileReceived.class);
            assertEquals("config.json", file.name());
            assertEquals(inbox.resolve("config.json"), file.savedTo());
            byte[] content = hex(vector, "file_content_hex");
            assertEquals(content.length, file.size());
            assertArrayEquals(content, Files.readAllBytes(file.savedTo()));

            String pythonText = JSON.readTree(frame(vector, "host", "text").get("plaintext_utf8").asText())
                    .get("body").asText();
            engine.sendText(pythonText);
            JsonNode text = openAsPython(hostToPeer, 1, python.nextSent());
            assertEquals("text", text.get("type").textValue());
            assertEquals(pythonText, text.get("body").textValue());

            engine.close();
            events.ended(EndReason.CLOSED);
            assertEquals(0, python.unreadSent(), "no goodbye to a version-1 end");
        } finally {
            engine.close();
        }
    }

    @ParameterizedTest(name = "{index}: the recording's own frames open with its keys")
    @MethodSource("cases")
    void theRecordingIsSelfConsistent(JsonNode vector) throws Exception {
        JsonNode hostVersion = frame(vector, "host", "version");
        JsonNode opened = openAsPython(hex(vector, "host_to_peer_key_hex"), 0, hex(hostVersion, "payload_hex"));
        assertEquals(JSON.readTree(hostVersion.get("plaintext_utf8").asText()), opened);
        assertEquals("{\"version\": 1, \"role\": \"host\"}",
                new String(hex(hostVersion, "plaintext_hex"), StandardCharsets.UTF_8));
    }
}
