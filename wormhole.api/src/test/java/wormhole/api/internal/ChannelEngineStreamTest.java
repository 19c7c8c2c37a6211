package wormhole.api.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import wormhole.api.ChannelEvent;
import wormhole.api.EndReason;

/** The receiving side of the {@code stream} feature, against frames written by hand. */
class ChannelEngineStreamTest extends EngineHarness {
    private static final String FEATURES = "{\"version\":1,\"role\":\"host\",\"features\":[\"ack\",\"close\",\"stream\"]}";

    private static final String UNHASHED =
            "{\"version\":1,\"role\":\"host\",\"features\":[\"ack\",\"close\",\"stream\",\"stream-unhashed\"]}";

    private void connectWithStream() throws Exception {
        connect(FEATURES);
    }

    private void connect(String versionMessage) throws Exception {
        start(Duration.ofSeconds(5));
        host.handshake(versionMessage);
        events.next(ChannelEvent.Connected.class);
    }

    @Test
    void anUnhashedStreamIsPublishedWhenBothEndsSkipTheHash() throws Exception {
        connect(UNHASHED);
        byte[] content = data(70_000);
        host.send(StreamFrames.start(4, "plain.bin", (long) content.length, "file"));
        host.sendPlain(StreamFrames.chunk(4, Arrays.copyOfRange(content, 0, 65_536)));
        host.sendPlain(StreamFrames.chunk(4, Arrays.copyOfRange(content, 65_536, content.length)));
        host.send(StreamFrames.endUnhashed(4, content.length));
        ChannelEvent.FileReceived f = events.next(ChannelEvent.FileReceived.class);
        assertArrayEquals(content, Files.readAllBytes(f.savedTo()));
        assertEquals("ack", JSON.readTree(host.receive()).path("type").asText());
    }

    @Test
    void anUnhashedStreamIsStillCheckedByItsSize() throws Exception {
        connect(UNHASHED);
        host.send(StreamFrames.start(1, "x.bin", null, "file"));
        host.sendPlain(StreamFrames.chunk(1, data(1000)));
        host.send(StreamFrames.endUnhashed(1, 1001));
        assertTrue(events.ended(EndReason.ERROR).detail().contains("1001"));
        assertEquals(0, inboxFiles().size(), inboxFiles()::toString);
    }

    @Test
    void aStreamToAPeerWithoutTheUnhashedFeatureCarriesItsSha256() throws Exception {
        assertEquals("{\"type\":\"stream-end\",\"id\":1,\"size\":5,\"sha256\":\"" + StreamFrames.sha256(data(5)) + "\"}",
                lastFrameOfAStreamTo(FEATURES));
    }

    @Test
    void aStreamToAPeerWithTheUnhashedFeatureEndsWithoutOne() throws Exception {
        assertEquals("{\"type\":\"stream-end\",\"id\":1,\"size\":5}", lastFrameOfAStreamTo(UNHASHED));
    }

    /** Sends a 5-byte file to a hand-driven peer that offers {@code versionMessage}; returns the stream's end. */
    private String lastFrameOfAStreamTo(String versionMessage) throws Exception {
        connect(versionMessage);
        java.nio.file.Path file = Files.write(Files.createTempDirectory("wormhole-stream").resolve("five"), data(5));
        Thread sending = new Thread(() -> {
            try {
                engine.sendFile(file, "five", Duration.ofSeconds(1));
            } catch (Exception expected) {
                // no receipt comes from the hand-driven peer
            }
        });
        sending.start();
        try {
            assertEquals("stream", JSON.readTree(host.receive()).path("type").asText());
            host.receive(); // the one chunk
            return host.receive();
        } finally {
            sending.join(5_000);
            Files.delete(file);
            Files.delete(file.getParent());
        }
    }

    @Test
    void anEndWithoutTheHashItOwesEndsTheChannelAndKeepsNothing() throws Exception {
        connectWithStream();
        byte[] content = data(1000);
        host.send(StreamFrames.start(1, "x.bin", 1000L, "file"));
        host.sendPlain(StreamFrames.chunk(1, content));
        host.send(StreamFrames.endUnhashed(1, 1000));
        assertTrue(events.ended(EndReason.ERROR).detail().contains("SHA-256"));
        assertEquals(0, inboxFiles().size(), inboxFiles()::toString);
    }

    private static byte[] data(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    @Test
    void aVerifiedStreamIsPublishedAndAcknowledged() throws Exception {
        connectWithStream();
        byte[] content = data(150_000);
        host.send(StreamFrames.start(3, "../report.bin", (long) content.length, "file"));
        host.sendPlain(StreamFrames.chunk(3, Arrays.copyOfRange(content, 0, 65_536)));
        host.sendPlain(StreamFrames.chunk(3, Arrays.copyOfRange(content, 65_536, content.length)));
        host.send(StreamFrames.end(3, content.length, StreamFrames.sha256(content)));
        ChannelEvent.FileReceived f = events.next(ChannelEvent.FileReceived.class);
        assertEquals("report.bin", f.name());
        assertEquals(content.length, f.size());
        assertEquals(inbox.resolve("report.bin"), f.savedTo());
        assertArrayEquals(content, Files.readAllBytes(f.savedTo()));
        JsonNode ack = JSON.readTree(host.receive());
        assertEquals("ack", ack.path("type").asText());
        assertEquals(3, ack.path("id").asLong());
        assertEquals(1, inboxFiles().size(), "only the published file: " + inboxFiles());
    }

    @Test
    void aSizeMismatchEndsTheChannelAndKeepsNothing() throws Exception {
        connectWithStream();
        byte[] content = data(1000);
        host.send(StreamFrames.start(1, "x.bin", null, "file"));
        host.sendPlain(StreamFrames.chunk(1, content));
        host.send(StreamFrames.end(1, 999, StreamFrames.sha256(content)));
        assertTrue(events.ended(EndReason.ERROR).detail().contains("999"));
        assertEquals(0, inboxFiles().size(), inboxFiles()::toString);
    }

    @Test
    void moreBytesThanAnnouncedEndTheChannelAndKeepNothing() throws Exception {
        connectWithStream();
        host.send(StreamFrames.start(1, "x.bin", 10L, "file"));
        host.sendPlain(StreamFrames.chunk(1, data(11)));
        events.ended(EndReason.ERROR);
        assertEquals(0, inboxFiles().size(), inboxFiles()::toString);
    }

    @Test
    void aHashMismatchEndsTheChannelAndKeepsNothing() throws Exception {
        connectWithStream();
        byte[] content = data(1000);
        host.send(StreamFrames.start(1, "x.bin", 1000L, "file"));
        host.sendPlain(StreamFrames.chunk(1, content));
        host.send(StreamFrames.end(1, 1000, StreamFrames.sha256(data(999))));
        assertTrue(events.ended(EndReason.ERROR).detail().contains("SHA-256"));
        assertEquals(0, inboxFiles().size(), inboxFiles()::toString);
    }

    @Test
    void aTamperedChunkEndsTheChannelAndKeepsNothing() throws Exception {
        connectWithStream();
        host.send(StreamFrames.start(1, "x.bin", 200_000L, "file"));
        host.sendPlain(StreamFrames.chunk(1, data(65_536)));
        byte[] frame = host.sealPlain(StreamFrames.chunk(1, data(65_536)));
        frame[100] ^= 1;
        host.sendRaw(frame);
        assertTrue(events.ended(EndReason.ERROR).detail().contains("decrypt"));
        assertEquals(0, inboxFiles().size(), inboxFiles()::toString);
    }

    @Test
    void aDroppedChunkEndsTheChannelAndKeepsNothing() throws Exception {
        connectWithStream();
        host.send(StreamFrames.start(1, "x.bin", 200_000L, "file"));
        host.sendPlain(StreamFrames.chunk(1, data(65_536)));
        host.sealPlain(StreamFrames.chunk(1, data(65_536))); // sealed, never sent: lost in transit
        host.sendPlain(StreamFrames.chunk(1, data(65_536)));
        assertTrue(events.ended(EndReason.ERROR).detail().contains("decrypt"));
        assertEquals(0, inboxFiles().size(), inboxFiles()::toString);
    }

    @Test
    void aChunkOfNoOpenStreamEndsTheChannel() throws Exception {
        connectWithStream();
        host.sendPlain(StreamFrames.chunk(9, data(10)));
        events.ended(EndReason.ERROR);
    }

    @Test
    void anAbortedStreamLeavesNothingAndTheChannelGoesOn() throws Exception {
        connectWithStream();
        host.send(StreamFrames.start(1, "x.bin", null, "stdin"));
        host.sendPlain(StreamFrames.chunk(1, data(10)));
        host.send("{\"type\":\"stream-abort\",\"id\":1,\"detail\":\"input failed\"}");
        host.send("{\"type\":\"text\",\"id\":2,\"body\":\"still here\"}");
        assertEquals("still here", events.next(ChannelEvent.TextReceived.class).body());
        assertEquals(0, inboxFiles().size(), inboxFiles()::toString);
    }

    @Test
    void aDirectoryWithAHostileEntryIsRefusedWholeAndTheChannelStaysOpen() throws Exception {
        for (String hostile : new String[] {"../evil.txt", "a/../../evil.txt", "/etc/evil", "a\\..\\evil", "ok/./x",
                "bell\u0007.txt", "dup.txt/"}) {
            aDirectoryIsRefused(hostile);
        }
    }

    private void aDirectoryIsRefused(String hostile) throws Exception {
        if (engine == null) {
            connectWithStream();
        }
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(zipped, StandardCharsets.UTF_8)) {
            zip.putNextEntry(new ZipEntry("dup.txt"));
            zip.write("first".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(hostile));
            zip.write("evil".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        byte[] archive = zipped.toByteArray();
        long id = System.nanoTime() & 0xffffff;
        host.send(StreamFrames.start(id, "project", null, "directory"));
        host.sendPlain(StreamFrames.chunk(id, archive));
        host.send(StreamFrames.end(id, archive.length, StreamFrames.sha256(archive)));
        ChannelEvent.Refused refused = events.next(ChannelEvent.Refused.class);
        assertEquals("project", refused.name());
        JsonNode nack = JSON.readTree(host.receive());
        assertEquals("nack", nack.path("type").asText(), hostile);
        assertEquals(id, nack.path("id").asLong());
        java.util.List<java.nio.file.Path> left = inboxFiles();
        assertEquals(0, left.size(), () -> hostile + " left " + left);
        assertTrue(Files.notExists(inbox.getParent().resolve("evil.txt")));
        host.send("{\"type\":\"text\",\"body\":\"after " + id + "\"}");
        assertEquals("after " + id, events.next(ChannelEvent.TextReceived.class).body());
    }

    @Test
    void aZipBombIsRefusedWholeBeforeItFillsTheDisk() throws Exception {
        connectWithStream();
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(zipped, StandardCharsets.UTF_8)) {
            zip.putNextEntry(new ZipEntry("zeros.bin"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 200; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
        }
        byte[] archive = zipped.toByteArray();
        assertTrue(archive.length < 1 << 20, "200 MiB of zeros deflate to " + archive.length + " bytes");
        host.send(StreamFrames.start(5, "bomb", null, "directory"));
        host.sendPlain(StreamFrames.chunk(5, archive));
        host.send(StreamFrames.end(5, archive.length, StreamFrames.sha256(archive)));
        ChannelEvent.Refused refused = events.next(ChannelEvent.Refused.class);
        assertTrue(refused.detail().contains("zip bomb"), refused::toString);
        assertEquals("nack", JSON.readTree(host.receive()).path("type").asText());
        assertEquals(0, inboxFiles().size(), inboxFiles()::toString);
    }

    @Test
    void aDirectoryUnpacksIntoAFreshFolderWithPrivateFiles() throws Exception {
        connectWithStream();
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(zipped, StandardCharsets.UTF_8)) {
            zip.putNextEntry(new ZipEntry("empty/"));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("src/main/App.java"));
            zip.write("class App {}".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(".gitignore"));
            zip.write("target/".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        byte[] archive = zipped.toByteArray();
        Files.createDirectories(inbox.resolve("project"));
        host.send(StreamFrames.start(4, "project", null, "directory"));
        host.sendPlain(StreamFrames.chunk(4, archive));
        host.send(StreamFrames.end(4, archive.length, StreamFrames.sha256(archive)));
        ChannelEvent.DirectoryReceived d = events.next(ChannelEvent.DirectoryReceived.class);
        assertEquals(inbox.resolve("project-1"), d.savedTo(), "an existing folder is never reused");
        assertEquals(2, d.files());
        assertEquals("class App {}", Files.readString(d.savedTo().resolve("src/main/App.java")));
        assertEquals("target/", Files.readString(d.savedTo().resolve(".gitignore")));
        assertTrue(Files.isDirectory(d.savedTo().resolve("empty")));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(d.savedTo().resolve("src/main/App.java"))));
        assertEquals("ack", JSON.readTree(host.receive()).path("type").asText());
    }
}
