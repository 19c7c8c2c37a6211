package wormhole.shell.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import wormhole.shell.output.JsonTrees;

/**
 * One channel's folder in the runtime folder: its state file, its control socket, and the inbox of
 * what arrived. Deleted whole when the channel ends.
 */
public final class ChannelDir {
    private static final String STATE = "state.json";

    private final Path path;

    public ChannelDir(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    public Path socket() {
        return path.resolve("ctl.sock");
    }

    public Path inbox() {
        return path.resolve("received");
    }

    /** Replaces the state file atomically, 0600. */
    public void writeState(ObjectNode state) throws IOException {
        Path tmp = path.resolve(STATE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, JsonTrees.bytes(state));
        try {
            Files.move(tmp, path.resolve(STATE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, path.resolve(STATE), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Reads the state file, if there is a readable one. */
    public Optional<ObjectNode> readState() {
        try {
            return JsonTrees.read(Files.readAllBytes(path.resolve(STATE))) instanceof ObjectNode state
                    ? Optional.of(state) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Deletes the folder and everything in it without following links. */
    public void delete() throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                deleteQuietly(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                deleteQuietly(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteQuietly(Path p) throws IOException {
        try {
            Files.delete(p);
        } catch (NoSuchFileException gone) {
            // already deleted by someone else (a concurrent close)
        }
    }
}
