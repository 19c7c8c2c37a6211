package wormhole.shell.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import wormhole.api.ChannelCode;

/**
 * The per-user runtime folder: {@code $XDG_RUNTIME_DIR/agent-wormhole}, else a per-user folder under
 * the system temp directory. Created 0700; its owner is checked and links are refused, because other
 * local users must not reach a channel's control socket or read what arrived. Channel folders get
 * random names; a channel is found by a hash of its code under a per-folder random key, so the code's
 * words never appear in a path.
 */
public final class RuntimeDir {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final String KEY_FILE = ".key";

    private final Path root;
    private final Supplier<SecureRandom> random;

    private RuntimeDir(Path root, Supplier<SecureRandom> random) {
        this.root = root;
        this.random = random;
    }

    /** Finds (and if needed creates) the runtime folder for this user. */
    public static RuntimeDir open(Map<String, String> env, Supplier<SecureRandom> random) throws IOException {
        String xdg = env.get("XDG_RUNTIME_DIR");
        Path root = xdg != null && !xdg.isBlank()
                ? Path.of(xdg, "agent-wormhole")
                : Path.of(System.getProperty("java.io.tmpdir"), "agent-wormhole-" + userTag());
        RuntimeDir dir = new RuntimeDir(root.toAbsolutePath(), random);
        dir.ensurePrivate(dir.root);
        return dir;
    }

    public Path root() {
        return root;
    }

    /** Creates a new, empty channel folder. */
    public ChannelDir createChannel() throws IOException {
        for (int i = 0; i < 16; i++) {
            byte[] id = new byte[8];
            random.get().nextBytes(id);
            Path p = root.resolve("ch-" + HexFormat.of().formatHex(id));
            try {
                Files.createDirectory(p, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                return new ChannelDir(p);
            } catch (FileAlreadyExistsException e) {
                // try another id
            }
        }
        throw new IOException("could not create a channel folder in " + root);
    }

    /** Lists the channel folders, running or left over. */
    public List<ChannelDir> channels() throws IOException {
        List<ChannelDir> all = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(root, "ch-*")) {
            for (Path p : s) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    all.add(new ChannelDir(p));
                }
            }
        }
        return all;
    }

    /**
     * The name under which a channel with this code is recorded, never the code: the first 16 bytes
     * of SHA-256 over the folder's 32-byte secret key and then the code. A keyed hash rather than an
     * HMAC: nobody verifies the name, so HMAC's defence against length extension buys nothing here,
     * while its first use ({@code javax.crypto}'s set-up) costs every {@code send} 15-30 ms.
     */
    public String codeKey(ChannelCode code) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(key());
            return HexFormat.of().formatHex(sha.digest(code.text().getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this runtime", e);
        }
    }

    private byte[] key() throws IOException {
        Path f = root.resolve(KEY_FILE);
        if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
            byte[] k = new byte[32];
            random.get().nextBytes(k);
            Path tmp = root.resolve(KEY_FILE + "." + HexFormat.of().formatHex(k, 0, 4));
            Files.write(tmp, k, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            try {
                Files.createLink(f, tmp);
            } catch (FileAlreadyExistsException raced) {
                // another process made it first; use theirs
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        if (Files.isSymbolicLink(f)) {
            throw new IOException(f + " is a link; refusing it");
        }
        byte[] k = Files.readAllBytes(f);
        if (k.length != 32) {
            throw new IOException(f + " is damaged; delete it");
        }
        return k;
    }

    private void ensurePrivate(Path dir) throws IOException {
        if (Files.isSymbolicLink(dir)) {
            throw new IOException(dir + " is a link; refusing to use it");
        }
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (FileAlreadyExistsException raced) {
                // checked below like any existing folder
            }
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " is not a folder");
        }
        UserPrincipal owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS);
        UserPrincipal me = dir.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
        if (!owner.equals(me)) {
            throw new IOException(dir + " belongs to " + owner.getName() + ", not to you; refusing to use it");
        }
        if (!Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(dir, OWNER_ONLY);
        }
    }

    private static String userTag() {
        return System.getProperty("user.name").replaceAll("[^A-Za-z0-9_.-]", "_");
    }
}
