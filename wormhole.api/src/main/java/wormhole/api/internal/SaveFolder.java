package wormhole.api.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * Where a channel saves what it receives. Every file is created 0600 under a temporary name, written
 * whole, and only then published under its safe name by a hard link, which fails rather than replace
 * an existing file; so a reader never sees a partial file and nothing is overwritten.
 */
public final class SaveFolder {
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final int MAX_COLLISIONS = 10_000;

    private final Path dir;
    private final SecureRandom random;

    /**
     * @param dir    the folder to save into; created 0700 if missing
     * @param random the source of temporary names
     */
    public SaveFolder(Path dir, SecureRandom random) {
        this.dir = dir;
        this.random = random;
    }

    /** @return the folder this inbox saves into */
    public Path dir() {
        return dir;
    }

    /**
     * Saves a long text.
     *
     * @param body the text's UTF-8 bytes
     * @return where it was saved
     * @throws IOException when the disk refuses
     */
    public Path saveText(byte[] body) throws IOException {
        return save("text.txt", body);
    }

    /**
     * Saves a file under a safe form of the sender's name, numbered if the name is taken.
     *
     * @param name    the name the sender gave
     * @param content the bytes
     * @return where it was saved
     * @throws IOException when the disk refuses
     */
    public Path saveFile(String name, byte[] content) throws IOException {
        return save(SafeName.of(name), content);
    }

    private Path save(String safeName, byte[] content) throws IOException {
        Path temp = newTempFile();
        try {
            try (OutputStream out = Channels.newOutputStream(
                    Files.newByteChannel(temp, Set.of(StandardOpenOption.WRITE)))) {
                out.write(content);
            }
            return publish(temp, safeName);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Creates an empty 0600 file with a fresh temporary name in the inbox folder.
     *
     * @return the file
     * @throws IOException when the disk refuses
     */
    public Path newTempFile() throws IOException {
        ensureDir();
        String name = ".incoming-" + HexFormat.of().formatHex(bytes(8)) + ".part";
        Path temp = dir.resolve(name);
        Files.newByteChannel(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OWNER_ONLY).close();
        return temp;
    }

    /**
     * Publishes a complete temporary file under {@code safeName}, or a numbered variant when taken.
     * The temporary file stays; the caller deletes it.
     *
     * @param temp     the complete file
     * @param safeName a name from {@link SafeName#of}
     * @return the published path
     * @throws IOException when the disk refuses
     */
    public Path publish(Path temp, String safeName) throws IOException {
        for (int n = 0; n <= MAX_COLLISIONS; n++) {
            Path target = dir.resolve(n == 0 ? safeName : SafeName.numbered(safeName, n));
            if (!target.getParent().equals(dir)) {
                throw new IOException("refused a name that leaves the channel folder");
            }
            try {
                Files.createLink(target, temp);
                return target;
            } catch (FileAlreadyExistsException taken) {
                // try the next number
            }
        }
        throw new IOException("too many files named " + safeName);
    }

    /**
     * Makes a fresh, hidden 0700 folder name in the inbox (not created), for an archive to unpack into.
     *
     * @return the path
     * @throws IOException when the inbox cannot be made
     */
    public Path newTempDirPath() throws IOException {
        ensureDir();
        return dir.resolve(".incoming-" + HexFormat.of().formatHex(bytes(8)) + ".dir");
    }

    /**
     * Publishes a complete folder under {@code safeName}, or a numbered variant when taken, by a
     * rename that never replaces an existing entry.
     *
     * @param temp     the complete folder in the inbox
     * @param safeName a name from {@link SafeName#of}
     * @return the published path
     * @throws IOException when the disk refuses
     */
    public Path publishDirectory(Path temp, String safeName) throws IOException {
        for (int n = 0; n <= MAX_COLLISIONS; n++) {
            Path target = dir.resolve(n == 0 ? safeName : SafeName.numbered(safeName, n));
            if (!target.getParent().equals(dir)) {
                throw new IOException("refused a name that leaves the channel folder");
            }
            if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                // Without REPLACE_EXISTING the move fails rather than replace what appeared meanwhile.
                return Files.move(temp, target);
            } catch (FileAlreadyExistsException taken) {
                // try the next number
            }
        }
        throw new IOException("too many entries named " + safeName);
    }

    /**
     * Deletes a folder and everything in it, never following links; quiet about what is already gone.
     *
     * @param root the folder
     */
    public static void deleteTree(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // the channel folder is deleted when the channel ends
        }
    }

    private void ensureDir() throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, OWNER_ONLY_DIR);
        }
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
