package wormhole.api.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import wormhole.api.ChannelEvent;
import wormhole.api.EndReason;
import wormhole.api.WormholeException;
import wormhole.api.WormholeException.Failure;

/** Messages through a connected engine: the inline text limit, files, and broken or hostile frames. */
class ChannelEngineMessagesTest extends EngineHarness {
    @Test
    void textOfExactly1024BytesIsInline() throws Exception {
        connect();
        String text = "x".repeat(1024);
        host.send(textJson(text));
        assertEquals(text, events.next(ChannelEvent.TextReceived.class).body());
    }

    @Test
    void textOf1025BytesIsSavedToAPrivateFile() throws Exception {
        connect();
        String text = "x".repeat(1025);
        host.send(textJson(text));
        ChannelEvent.TextSaved saved = events.next(ChannelEvent.TextSaved.class);
        assertEquals(1025, saved.size());
        assertEquals(text, Files.readString(saved.savedTo()));
        assertEquals(inbox, saved.savedTo().getParent());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(saved.savedTo())));
    }

    @Test
    void theInlineLimitCountsUtf8BytesNotCharacters() throws Exception {
        connect();
        String twoByte = "é".repeat(512); // 512 chars, 1024 bytes
        String oneOver = "a" + twoByte; // 513 chars, 1025 bytes
        String emojiAtEnd = "a".repeat(1020) + "😀"; // 1022 chars, 1024 bytes
        String emojiOver = "a".repeat(1021) + "😀"; // 1023 chars, 1025 bytes
        host.send(textJson(twoByte));
        host.send(textJson(oneOver));
        host.send(textJson(emojiAtEnd));
        host.send(textJson(emojiOver));
        assertEquals(twoByte, events.next(ChannelEvent.TextReceived.class).body());
        ChannelEvent.TextSaved saved = events.next(ChannelEvent.TextSaved.class);
        assertEquals(1025, saved.size());
        assertArrayEquals(oneOver.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(saved.savedTo()));
        assertEquals(emojiAtEnd, events.next(ChannelEvent.TextReceived.class).body());
        ChannelEvent.TextSaved savedEmoji = events.next(ChannelEvent.TextSaved.class);
        assertEquals(1025, savedEmoji.size());
        assertEquals(emojiOver, Files.readString(savedEmoji.savedTo(), StandardCharsets.UTF_8));
    }

    @Test
    void unknownMessageTypesAreIgnored() throws Exception {
        connect();
        host.send("{\"type\": \"emoji\", \"body\": \"x\"}");
        host.send("{\"type\": \"ping\"}");
        host.send("{\"version\": 1, \"role\": \"host\"}");
        host.send(textJson("after"));
        assertEquals("after", events.next(ChannelEvent.TextReceived.class).body());
        assertTrue(engine.isConnected());
    }

    @Test
    void aFrameThatFailsToDecryptEndsWithError() throws Exception {
        connect();
        byte[] junk = new byte[48];
        new SecureRandom().nextBytes(junk);
        host.sendRaw(junk);
        events.ended(EndReason.ERROR);
        assertTrue(pair.a.isClosed());
    }

    @Test
    void aTamperedFrameEndsWithErrorAndDeliversNothing() throws Exception {
        connect();
        byte[] frame = host.seal(textJson("pay alice 10"));
        frame[5] ^= 0x01;
        host.sendRaw(frame);
        events.ended(EndReason.ERROR);
        assertTrue(events.pending().isEmpty(), events.pending().toString());
    }

    @Test
    void aReplayedFrameEndsWithError() throws Exception {
        connect();
        byte[] frame = host.seal(textJson("once"));
        host.sendRaw(frame);
        host.sendRaw(frame);
        assertEquals("once", events.next(ChannelEvent.TextReceived.class).body());
        events.ended(EndReason.ERROR);
    }

    @Test
    void anUndecodableMessageEndsWithError() throws Exception {
        connect();
        host.send("this is not JSON {");
        events.ended(EndReason.ERROR);
    }

    @Test
    void aTextWithoutBodyEndsWithError() throws Exception {
        connect();
        host.send("{\"type\": \"text\"}");
        events.ended(EndReason.ERROR);
    }

    @Test
    void aFileWhoseDeclaredSizeDiffersIsRefusedAndNothingIsSaved() throws Exception {
        connect();
        host.send("{\"type\": \"file\", \"name\": \"config.json\", \"size\": 9, \"body\": \"eyJhIjoxfQo=\"}");
        events.ended(EndReason.ERROR);
        assertEquals(List.of(), inboxFiles());
    }

    @Test
    void aFileNameThatClimbsOutIsSavedInsideTheInbox() throws Exception {
        connect();
        host.send("{\"type\": \"file\", \"name\": \"../../evil.sh\", \"size\": 8, \"body\": \"eyJhIjoxfQo=\"}");
        ChannelEvent.FileReceived file = events.next(ChannelEvent.FileReceived.class);
        assertEquals("evil.sh", file.name());
        assertEquals(inbox.resolve("evil.sh"), file.savedTo());
        assertEquals("{\"a\":1}\n", Files.readString(file.savedTo()));
        assertEquals(List.of(file.savedTo()), inboxFiles(), "no temporary file is left behind");
    }

    @Test
    void aSecondFileOfTheSameNameIsReportedUnderItsOwnNameAndSavedBesideTheFirst() throws Exception {
        connect();
        String file = "{\"type\": \"file\", \"name\": \"config.json\", \"size\": 8, \"body\": \"eyJhIjoxfQo=\"}";
        host.send(file);
        host.send(file);
        ChannelEvent.FileReceived first = events.next(ChannelEvent.FileReceived.class);
        ChannelEvent.FileReceived second = events.next(ChannelEvent.FileReceived.class);
        assertEquals(inbox.resolve("config.json"), first.savedTo());
        assertEquals(inbox.resolve("config-1.json"), second.savedTo());
        // FileReceived.name is "the name the sender gave, reduced to a safe base name".
        assertEquals("config.json", second.name());
    }

    @Test
    void aFileOverTheVersion1LimitIsRefusedAndTheChannelStaysConnected() throws Exception {
        pair = new LinkPair(4096);
        connect();
        Path big = Files.write(outbox.resolve("big.bin"), new byte[4000]);
        WormholeException e = assertThrows(WormholeException.class, () -> engine.sendFile(big, "big.bin"));
        assertEquals(Failure.TOO_LARGE, e.failure());
        assertTrue(engine.isConnected());

        byte[] content = new byte[2000];
        new SecureRandom().nextBytes(content);
        Path fits = Files.write(outbox.resolve("fits.bin"), content);
        engine.sendFile(fits, "fits.bin");
        JsonNode file = JSON.readTree(host.receive());
        assertEquals("file", file.get("type").asText());
        assertEquals("fits.bin", file.get("name").asText());
        assertEquals(2000, file.get("size").asLong());
        assertArrayEquals(content, Base64.getDecoder().decode(file.get("body").asText()));
        assertTrue(events.pending().isEmpty(), events.pending().toString());
    }

    @Test
    void aTextOverTheFrameLimitIsRefusedAndTheChannelStaysConnected() throws Exception {
        pair = new LinkPair(4096);
        connect();
        WormholeException e = assertThrows(WormholeException.class, () -> engine.sendText("y".repeat(5000)));
        assertEquals(Failure.TOO_LARGE, e.failure());
        assertTrue(engine.isConnected());
        engine.sendText("short");
        assertEquals("short", JSON.readTree(host.receive()).get("body").asText());
    }

    @Test
    void aMissingFileIsUnreadable() throws Exception {
        connect();
        WormholeException e = assertThrows(WormholeException.class,
                () -> engine.sendFile(outbox.resolve("absent"), "absent"));
        assertEquals(Failure.UNREADABLE, e.failure());
        assertTrue(engine.isConnected());
    }
}
