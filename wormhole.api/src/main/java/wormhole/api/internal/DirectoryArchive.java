package wormhole.api.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A directory as one zip stream (feature {@code stream}, kind {@code directory}): regular files and
 * folders only. The sender refuses links and special files before anything is sent; the receiver
 * checks every entry name and refuses the whole archive if one could leave its folder, repeat
 * another, or is not a plain relative path.
 */
final class DirectoryArchive {
    /** At most this many entries in one archive. */
    static final int MAX_ENTRIES = 100_000;
    /** At most this many path segments in one entry name. */
    static final int MAX_DEPTH = 64;
    /**
     * An archive may unpack to at most this many times its own size, plus {@link #EXPANSION_ALLOWANCE}:
     * a folder of ordinary files compresses ten or twenty times at most, while a zip bomb of a few
     * megabytes would fill the disk.
     */
    static final long MAX_EXPANSION = 200;
    static final long EXPANSION_ALLOWANCE = 64L * 1024 * 1024;
    /** At most this many UTF-8 bytes per path segment (the usual file system limit). */
    static final int MAX_SEGMENT_BYTES = 255;

    private static final FileAttribute<Set<PosixFilePermission>> FILE_0600 =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<Set<PosixFilePermission>> DIR_0700 =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    /**
     * One entry to send.
     *
     * @param name      the relative name, segments joined by {@code /}; folders end with {@code /}
     * @param path      the file or folder
     * @param directory whether it is a folder
     */
    record Entry(String name, Path path, boolean directory) {
    }

    /**
     * What an archive unpacked to.
     *
     * @param files how many files
     * @param bytes the bytes of all files
     */
    record Unpacked(int files, long bytes) {
    }

    private DirectoryArchive() {
    }

    /**
     * Lists a folder for sending, refusing anything but regular files and folders.
     *
     * @param root the folder
     * @return its entries in a stable order
     * @throws IOException when it cannot be read, or holds a link or a special file
     */
    static List<Entry> list(Path root) throws IOException {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("not a folder (links are not followed): " + root.getFileName());
        }
        List<Entry> entries = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(root)) {
                    entries.add(new Entry(name(root, dir) + "/", dir, true));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!attrs.isRegularFile()) {
                    throw new IOException("only regular files and folders are sent; "
                            + (attrs.isSymbolicLink() ? "a link" : "a special file") + " is in the way: " + name(root, file));
                }
                entries.add(new Entry(name(root, file), file, false));
                return FileVisitResult.CONTINUE;
            }
        });
        if (entries.size() > MAX_ENTRIES) {
            throw new IOException("the folder has more than " + MAX_ENTRIES + " entries");
        }
        entries.sort((a, b) -> a.name().compareTo(b.name()));
        return entries;
    }

    private static String name(Path root, Path p) {
        StringBuilder b = new StringBuilder();
        for (Path segment : root.relativize(p)) {
            if (b.length() > 0) {
                b.append('/');
            }
            b.append(segment);
        }
        return b.toString();
    }

    /**
     * Writes the entries as a zip stream; a file that changes type meanwhile is refused.
     *
     * @param entries from {@link #list}
     * @param out     where the archive goes; not closed
     * @throws IOException when reading or writing fails
     */
    static void write(List<Entry> entries, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(new NonClosing(out), StandardCharsets.UTF_8);
        zip.setLevel(Deflater.BEST_SPEED);
        for (Entry e : entries) {
            zip.putNextEntry(new ZipEntry(e.name()));
            if (!e.directory()) {
                try (InputStream in = Files.newInputStream(e.path(), LinkOption.NOFOLLOW_LINKS)) {
                    in.transferTo(zip);
                }
            }
            zip.closeEntry();
        }
        zip.finish();
    }

    /**
     * Unpacks an archive into {@code target}, which must not exist yet; created 0700, files 0600.
     * On any failure the caller deletes {@code target}.
     *
     * @param archive the verified archive file
     * @param target  the fresh folder
     * @return what it held
     * @throws HostileArchiveException when an entry could leave the folder, repeats one, or is malformed
     * @throws IOException             when the disk refuses
     */
    static Unpacked unpack(Path archive, Path target) throws IOException, HostileArchiveException {
        Files.createDirectory(target, DIR_0700);
        Path root = target.toAbsolutePath().normalize();
        Set<String> seen = new HashSet<>();
        int files = 0;
        long bytes = 0;
        int count = 0;
        long budget = Files.size(archive) * MAX_EXPANSION + EXPANSION_ALLOWANCE;
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive), StandardCharsets.UTF_8)) {
            while (true) {
                ZipEntry entry;
                try {
                    entry = zip.getNextEntry();
                } catch (IllegalArgumentException | java.util.zip.ZipException e) {
                    throw new HostileArchiveException("the archive is malformed: " + e.getMessage());
                }
                if (entry == null) {
                    break;
                }
                if (++count > MAX_ENTRIES) {
                    throw new HostileArchiveException("the archive has more than " + MAX_ENTRIES + " entries");
                }
                String name = entry.getName();
                boolean directory = name.endsWith("/");
                String plain = directory ? name.substring(0, name.length() - 1) : name;
                check(plain);
                if (!seen.add(plain)) {
                    throw new HostileArchiveException("the entry " + printable(plain) + " appears twice");
                }
                Path dest = root.resolve(plain).normalize();
                if (!dest.startsWith(root) || dest.equals(root)) {
                    throw new HostileArchiveException("the entry " + printable(plain) + " leaves its folder");
                }
                ensureParents(root, dest.getParent());
                if (directory) {
                    if (Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
                        continue;
                    }
                    Files.createDirectory(dest, DIR_0700);
                    continue;
                }
                try (OutputStream out = Files.newOutputStream(Files.createFile(dest, FILE_0600),
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                    bytes += copyWithin(zip, out, budget - bytes, plain);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    throw new HostileArchiveException("the entry " + printable(plain) + " would overwrite another");
                } catch (java.util.zip.ZipException e) {
                    throw new HostileArchiveException("the archive is malformed: " + e.getMessage());
                }
                files++;
            }
        }
        return new Unpacked(files, bytes);
    }

    /** Copies one entry, refusing the archive once the whole would pass its expansion budget. */
    private static long copyWithin(InputStream in, OutputStream out, long left, String name)
            throws IOException, HostileArchiveException {
        byte[] buf = new byte[64 * 1024];
        long copied = 0;
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            copied += n;
            if (copied > left) {
                throw new HostileArchiveException("the archive unpacks to more than " + MAX_EXPANSION
                        + " times its size (at " + printable(name) + "); a zip bomb?");
            }
            out.write(buf, 0, n);
        }
        return copied;
    }

    /** A relative name of plain segments: no absolute path, no {@code .} or {@code ..}, no backslash or control character. */
    private static void check(String name) throws HostileArchiveException {
        if (name.isEmpty()) {
            throw new HostileArchiveException("an entry has an empty name");
        }
        if (name.startsWith("/")) {
            throw new HostileArchiveException("the entry " + printable(name) + " is an absolute path");
        }
        if (name.indexOf('\\') >= 0 || name.indexOf(':') >= 0) {
            throw new HostileArchiveException("the entry " + printable(name) + " holds a backslash or colon");
        }
        boolean bad = name.codePoints().anyMatch(cp -> Character.isISOControl(cp)
                || Character.getType(cp) == Character.FORMAT || Character.getType(cp) == Character.SURROGATE);
        if (bad) {
            throw new HostileArchiveException("the entry " + printable(name) + " holds a control or format character");
        }
        String[] segments = name.split("/", -1);
        if (segments.length > MAX_DEPTH) {
            throw new HostileArchiveException("the entry " + printable(name) + " is nested too deep");
        }
        for (String s : segments) {
            if (s.isEmpty() || s.equals(".") || s.equals("..")) {
                throw new HostileArchiveException("the entry " + printable(name) + " has an empty, . or .. segment");
            }
            if (s.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
                throw new HostileArchiveException("the entry " + printable(name) + " has a segment that is too long");
            }
        }
    }

    private static void ensureParents(Path root, Path dir) throws IOException, HostileArchiveException {
        if (dir.equals(root)) {
            return;
        }
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new HostileArchiveException("an entry would put a file inside the file " + printable(root.relativize(dir).toString()));
        }
        ensureParents(root, dir.getParent());
        Files.createDirectory(dir, DIR_0700);
    }

    /** A name safe to show: control characters escaped, bounded length. */
    static String printable(String name) {
        StringBuilder b = new StringBuilder();
        name.codePoints().limit(120).forEach(cp -> {
            if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT) {
                b.append(String.format("\\u%04x", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        return "'" + b + "'";
    }

    /** Keeps the chunk writer under the zip stream open, and passes block writes through. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() {
            // the chunk writer is finished by its owner
        }
    }
}
