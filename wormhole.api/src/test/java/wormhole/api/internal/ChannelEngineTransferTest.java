package wormhole.api.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import wormhole.api.ChannelCode;
import wormhole.api.ChannelEvent;
import wormhole.api.Delivery;
import wormhole.api.Feature;
import wormhole.api.WormholeException;
import wormhole.api.WormholeException.Failure;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.HostedLink;
import wormhole.testing.Events;

/** Two real engines over an in-memory link: files, directories and input streams with receipts. */
@Timeout(30)
class ChannelEngineTransferTest {
    private static final ChannelCode CODE = ChannelCode.parse("4242-apple-banana-cherry");

    @TempDir
    Path hostInbox;
    @TempDir
    Path peerInbox;
    @TempDir
    Path files;

    private final LinkPair pair = new LinkPair();
    private final Events hostEvents = new Events();
    private final Events peerEvents = new Events();
    private ChannelEngine hostEngine;
    private ChannelEngine peerEngine;

    @BeforeEach
    void connect() throws Exception {
        HostedLink hosted = new HostedLink() {
            @Override
            public String nameplate() {
                return "4242";
            }

            @Override
            public FrameLink awaitPeer(Duration timeout) {
                return pair.b;
            }

            @Override
            public void close() {
                pair.b.close();
            }
        };
        hostEngine = ChannelEngine.host(hosted, CODE, settings(hostInbox), UpgradeSettings.NONE, hostEvents);
        peerEngine = ChannelEngine.peer(() -> pair.a, CODE, settings(peerInbox), UpgradeSettings.NONE, peerEvents);
        assertEquals(EnumSet.allOf(Feature.class), hostEvents.next(ChannelEvent.Connected.class).peerFeatures());
        peerEvents.next(ChannelEvent.Connected.class);
    }

    @AfterEach
    void stop() {
        hostEngine.close();
        peerEngine.close();
    }

    private static EngineSettings settings(Path inbox) {
        return new EngineSettings(inbox, new SecureRandom(), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofHours(1), EnumSet.allOf(Feature.class), "test-engine", 1024);
    }

    @Test
    void aFileOfManyChunksArrivesWholeAndIsConfirmed() throws Exception {
        byte[] content = new byte[5 * 1024 * 1024 + 17];
        new Random(42).nextBytes(content);
        Path file = Files.write(files.resolve("big.bin"), content);
        assertEquals(Delivery.CONFIRMED, hostEngine.sendFile(file, "big.bin", Duration.ofSeconds(20)));
        ChannelEvent.FileReceived got = peerEvents.next(ChannelEvent.FileReceived.class);
        assertEquals(content.length, got.size());
        assertArrayEquals(content, Files.readAllBytes(got.savedTo()));
        assertEquals(1, Files.list(peerInbox).count(), "no temporary file is left");
    }

    @Test
    void anEmptyFileArrives() throws Exception {
        Path file = Files.write(files.resolve("empty"), new byte[0]);
        assertEquals(Delivery.CONFIRMED, peerEngine.sendFile(file, "empty", Duration.ofSeconds(5)));
        assertEquals(0, Files.size(hostEvents.next(ChannelEvent.FileReceived.class).savedTo()));
    }

    @Test
    void aDirectoryArrivesAsAFolder() throws Exception {
        Path dir = Files.createDirectories(files.resolve("project"));
        Files.createDirectories(dir.resolve("src/main"));
        Files.createDirectories(dir.resolve("empty"));
        Files.writeString(dir.resolve("src/main/App.java"), "class App {}");
        Files.writeString(dir.resolve(".env"), "KEY=1");
        assertEquals(Delivery.CONFIRMED, hostEngine.sendFile(dir, "project", Duration.ofSeconds(5)));
        ChannelEvent.DirectoryReceived got = peerEvents.next(ChannelEvent.DirectoryReceived.class);
        assertEquals(peerInbox.resolve("project"), got.savedTo());
        assertEquals(2, got.files());
        assertEquals("class App {}".length() + "KEY=1".length(), got.size());
        assertEquals("class App {}", Files.readString(got.savedTo().resolve("src/main/App.java")));
        assertEquals("KEY=1", Files.readString(got.savedTo().resolve(".env")));
        assertTrue(Files.isDirectory(got.savedTo().resolve("empty")));
    }

    @Test
    void aDirectoryWithALinkIsRefusedBeforeAnythingIsSent() throws Exception {
        Path dir = Files.createDirectories(files.resolve("linked"));
        Files.writeString(dir.resolve("a.txt"), "a");
        Files.createSymbolicLink(dir.resolve("passwd"), Path.of("/etc/passwd"));
        WormholeException e = assertThrows(WormholeException.class,
                () -> hostEngine.sendFile(dir, "linked", Duration.ofSeconds(5)));
        assertEquals(Failure.UNREADABLE, e.failure());
        assertTrue(e.getMessage().contains("passwd"), e.getMessage());
        assertEquals(Delivery.CONFIRMED, hostEngine.sendText("after", Duration.ofSeconds(5)));
        assertEquals("after", peerEvents.next(ChannelEvent.TextReceived.class).body());
    }

    @Test
    void inputOfUnknownLengthArrivesAsAFile() throws Exception {
        byte[] content = new byte[300_000];
        new Random(7).nextBytes(content);
        assertEquals(Delivery.CONFIRMED,
                peerEngine.sendStream(new ByteArrayInputStream(content), "stdin", Duration.ofSeconds(5)));
        ChannelEvent.FileReceived got = hostEvents.next(ChannelEvent.FileReceived.class);
        assertEquals("stdin", got.name());
        assertArrayEquals(content, Files.readAllBytes(got.savedTo()));
    }

    @Test
    void anInputThatFailsMidwayLeavesNothingAndTheChannelGoesOn() throws Exception {
        java.io.InputStream failing = new java.io.InputStream() {
            private int left = 200_000;

            @Override
            public int read() throws IOException {
                if (left-- <= 0) {
                    throw new IOException("disk on fire");
                }
                return 1;
            }
        };
        assertEquals(Failure.UNREADABLE, assertThrows(WormholeException.class,
                () -> hostEngine.sendStream(failing, "stdin", Duration.ofSeconds(5))).failure());
        assertEquals(Delivery.CONFIRMED, hostEngine.sendText("still here", Duration.ofSeconds(5)));
        assertEquals("still here", peerEvents.next(ChannelEvent.TextReceived.class).body());
        assertEquals(0, Files.list(peerInbox).count());
    }
}
