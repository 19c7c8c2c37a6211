package wormhole.api.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SaveFolderTest {
    @TempDir
    Path root;

    private SaveFolder inbox() {
        return new SaveFolder(root.resolve("channel"), new SecureRandom());
    }

    private List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String perms(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void createsItsFolderOwnerOnlyAndFilesOwnerReadWriteOnly() throws IOException {
        SaveFolder inbox = inbox();
        Path saved = inbox.saveFile("notes.txt", "hi".getBytes(StandardCharsets.UTF_8));
        assertEquals("rwx------", perms(inbox.dir()));
        assertEquals("rw-------", perms(saved));
        Path text = inbox.saveText("long".getBytes(StandardCharsets.UTF_8));
        assertEquals("rw-------", perms(text));
    }

    @Test
    void neverWritesOutsideItsFolder() throws IOException {
        SaveFolder inbox = inbox();
        for (String name : new String[] {"../escape", "../../escape", "/tmp/escape", "..\\escape", "a/../../escape"}) {
            Path saved = inbox.saveFile(name, new byte[] {1});
            assertEquals(inbox.dir(), saved.getParent(), name);
        }
        assertEquals(List.of("channel"), names(root), "nothing appeared beside the folder");
    }

    @Test
    void theSameNameTwiceKeepsBoth() throws IOException {
        SaveFolder inbox = inbox();
        Path first = inbox.saveFile("config.json", "one".getBytes(StandardCharsets.UTF_8));
        Path second = inbox.saveFile("config.json", "two".getBytes(StandardCharsets.UTF_8));
        Path third = inbox.saveFile("config.json", "three".getBytes(StandardCharsets.UTF_8));
        assertEquals("config.json", first.getFileName().toString());
        assertEquals("config-1.json", second.getFileName().toString());
        assertEquals("config-2.json", third.getFileName().toString());
        assertEquals("one", Files.readString(first));
        assertEquals("two", Files.readString(second));
        assertEquals("three", Files.readString(third));
    }

    @Test
    void leavesNoTemporaryFileBehind() throws IOException {
        SaveFolder inbox = inbox();
        inbox.saveFile("a.bin", new byte[100_000]);
        inbox.saveText("text".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("a.bin", "text.txt"), names(inbox.dir()));
    }

    @Test
    void neverOverwritesAnExistingFile() throws IOException {
        SaveFolder inbox = inbox();
        Files.createDirectories(inbox.dir());
        Path existing = Files.writeString(inbox.dir().resolve("keep.txt"), "mine");
        Path saved = inbox.saveFile("keep.txt", "theirs".getBytes(StandardCharsets.UTF_8));
        assertEquals("mine", Files.readString(existing));
        assertEquals("keep-1.txt", saved.getFileName().toString());
    }

    @Test
    void neverFollowsALinkPlantedUnderTheName() throws IOException {
        SaveFolder inbox = inbox();
        Files.createDirectories(inbox.dir());
        Path outside = Files.writeString(root.resolve("outside.txt"), "untouched");
        Files.createSymbolicLink(inbox.dir().resolve("planted.txt"), outside);
        Path saved = inbox.saveFile("planted.txt", "theirs".getBytes(StandardCharsets.UTF_8));
        assertEquals("untouched", Files.readString(outside));
        assertEquals("planted-1.txt", saved.getFileName().toString());
    }

    @Test
    void savesExactlyTheBytes() throws IOException {
        byte[] content = new byte[70_000];
        new SecureRandom().nextBytes(content);
        Path saved = inbox().saveFile("data.bin", content);
        assertArrayEquals(content, Files.readAllBytes(saved));
    }

    @Test
    void savesAFileWithALongMultiByteName() throws IOException {
        SaveFolder inbox = inbox();
        String name = "€".repeat(200) + ".txt";
        Path first = inbox.saveFile(name, new byte[] {1});
        Path second = inbox.saveFile(name, new byte[] {2});
        assertTrue(first.getFileName().toString().endsWith(".txt"));
        assertArrayEquals(new byte[] {2}, Files.readAllBytes(second));
    }
}
