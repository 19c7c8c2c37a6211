package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The linked runtime image and its launcher, run as real processes. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ImageIT {
    private static final Set<String> OUR_MODULES = Set.of("wormhole.crypto", "wormhole.api",
            "wormhole.transport.direct", "wormhole.transport.relay", "wormhole.relayserver", "wormhole.shell");
    private static final Set<String> LIBRARY_MODULES = Set.of("org.bouncycastle.provider",
            "com.fasterxml.jackson.annotation", "com.fasterxml.jackson.core", "com.fasterxml.jackson.databind",
            "org.java_websocket", "org.slf4j", "org.slf4j.nop", "org.jline.reader", "org.jline.terminal",
            "org.jline.nativ",
            // Jedis, the Redis client of relay --redis, and what it needs (docs/relay-redis.md)
            "redis.clients.jedis", "redis.clients.authentication.core", "org.apache.commons.pool2", "org.json",
            "com.google.gson");
    /**
     * The JDK modules our module graph needs today: bcprov's java.sql and java.naming (and what they
     * require), jdk.httpserver, jdk.net and jdk.unsupported (jline's Ctrl-C handler needs
     * sun.misc.Signal) from our own module-infos, java.management (commons-pool2, Jedis's connection
     * pool, requires it), and jdk.crypto.ec, which the
     * image adds for TLS before JDK 22. When a module-info starts requiring another one, add it here
     * on purpose.
     */
    private static final Set<String> JDK_MODULES = Set.of("java.base", "java.logging", "java.naming",
            "java.security.sasl", "java.sql", "java.transaction.xa", "java.xml", "jdk.crypto.ec",
            "jdk.httpserver", "jdk.net", "jdk.unsupported", "java.management");

    private final Image image = Image.locate();

    @Test
    void versionPrintsTheProjectVersion() {
        Image.Result result = image.run("--version");

        assertAll(() -> assertEquals(0, result.exitCode(), result::toString),
                () -> assertEquals("agent-wormhole " + Image.expectedVersion() + "\n", result.stdout()),
                () -> assertEquals("", result.stderr()));
    }

    @Test
    void helpExitsZeroWithUsageOnStdoutOnly() {
        Image.Result result = image.run("--help");

        assertAll(() -> assertEquals(0, result.exitCode(), result::toString),
                () -> assertTrue(result.stdout().contains("agent-wormhole"), result::toString),
                () -> assertEquals("", result.stderr()));
    }

    @Test
    void imageHoldsOurSixModulesAndNothingUnexpected() {
        Image.Result result = Image.program(image.java(), "--list-modules").run();
        assertEquals(0, result.exitCode(), result::toString);

        Set<String> modules = result.stdoutLines().stream()
                .map(line -> line.split("[@ ]", 2)[0])
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> unexpected = new TreeSet<>(modules);
        unexpected.removeAll(OUR_MODULES);
        unexpected.removeAll(LIBRARY_MODULES);
        unexpected.removeAll(JDK_MODULES);

        assertAll(() -> assertTrue(modules.containsAll(OUR_MODULES), "missing some of " + OUR_MODULES + " in " + modules),
                () -> assertTrue(modules.containsAll(Set.of("org.slf4j.nop", "wormhole.transport.direct",
                        "wormhole.transport.relay")), "service providers must be linked: " + modules),
                () -> assertEquals(Set.of(), unexpected, "modules nobody asked for"));
    }

    @Test
    void runsWithNoJdkOnThePathAndNoJavaHome(@TempDir Path tools) throws IOException {
        // /usr/bin/java exists on this machine, so the PATH holds only links to what the launcher needs.
        for (String tool : List.of("sh", "readlink")) {
            Files.createSymbolicLink(tools.resolve(tool), which(tool));
        }
        Files.createSymbolicLink(tools.resolve("agent-wormhole"), image.launcher());

        Image.Result result = Image.program(tools.resolve("sh"), "-c", "agent-wormhole --version")
                .clearEnv()
                .env("PATH", tools.toString())
                .env("HOME", tools.toString())
                .run();
        deleteLinks(tools);

        assertAll(() -> assertFalse(Files.exists(tools.resolve("java"))),
                () -> assertEquals(0, result.exitCode(), result::toString),
                () -> assertEquals("agent-wormhole " + Image.expectedVersion() + "\n", result.stdout()),
                () -> assertEquals("", result.stderr()));
    }

    @Test
    void worksThroughSymbolicLinksFromAnotherWorkingFolder(@TempDir Path links, @TempDir Path elsewhere)
            throws IOException {
        // an absolute link, and a relative link to that link in another folder
        Path absolute = Files.createSymbolicLink(links.resolve("wormhole"), image.launcher());
        Path nested = Files.createDirectories(links.resolve("nested"));
        Path relative = Files.createSymbolicLink(nested.resolve("aw"), Path.of("..", "wormhole"));

        List<Image.Result> results = List.of(Image.program(absolute, "--version").directory(elsewhere).run(),
                Image.program(relative, "--version").directory(elsewhere).run());
        deleteLinks(nested);
        deleteLinks(links);

        for (Image.Result result : results) {
            assertEquals(0, result.exitCode(), result::toString);
            assertEquals("agent-wormhole " + Image.expectedVersion() + "\n", result.stdout());
        }
    }

    /** Removes the links a test made, so that JUnit's clean-up does not warn about links leaving its folder. */
    private static void deleteLinks(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            for (Path entry : entries.toList()) {
                if (Files.isSymbolicLink(entry)) {
                    Files.delete(entry);
                }
            }
        }
    }

    @Test
    void cdsArchiveMapsAndStillDoesAfterTheImageIsCopied(@TempDir Path dir) throws IOException {
        Image copy = Image.at(copyImage(dir));

        for (Image each : List.of(image, copy)) {
            // -Xshare:on makes the JVM fail instead of silently running without the archive.
            Image.Result result = each.command("--version").env("AGENT_WORMHOLE_JAVA_OPTS", "-Xshare:on").run();

            assertEquals(0, result.exitCode(), result::toString);
            assertEquals("agent-wormhole " + Image.expectedVersion() + "\n", result.stdout());
        }
    }

    @Test
    void aBrokenOrMissingCdsArchiveIsIgnoredQuietly(@TempDir Path dir) throws IOException {
        Image copy = Image.at(copyImage(dir));
        Path archive = copy.home().resolve("lib").resolve("agent-wormhole.jsa");
        assertTrue(Files.isRegularFile(archive), "the image has no CDS archive at " + archive);

        byte[] garbage = new byte[64 * 1024];
        new java.util.Random(42).nextBytes(garbage);
        Files.write(archive, garbage);
        Image.Result garbled = copy.run("--version");
        Files.delete(archive);
        Image.Result missing = copy.run("--version");

        for (Image.Result result : List.of(garbled, missing)) {
            assertAll(() -> assertEquals(0, result.exitCode(), result::toString),
                    () -> assertEquals("agent-wormhole " + Image.expectedVersion() + "\n", result.stdout()),
                    () -> assertEquals("", result.stderr()));
        }
    }

    @Test
    void shortCommandsGetStartupFlagsAndJavaOptsComeLast() {
        // -XX:+PrintCommandLineFlags prints the JVM's flags on stdout before main runs.
        Image.Result result = image.command("--version")
                .env("AGENT_WORMHOLE_JAVA_OPTS", "-XX:+PrintCommandLineFlags -Xmx64m")
                .run();

        String flags = result.stdoutLines().get(0);
        assertAll(() -> assertEquals(0, result.exitCode(), result::toString),
                () -> assertTrue(flags.contains("-XX:TieredStopAtLevel=1"), flags),
                () -> assertTrue(flags.contains("-XX:+UseSerialGC"), flags),
                () -> assertTrue(flags.contains("-XX:MaxHeapSize=67108864"), flags));
    }

    @Test
    void longRunningCommandsKeepTheOptimizingCompiler() {
        // The JVM prints its flags before main runs; what connect does next does not matter here.
        try (Image.Running connect = image.command("connect")
                .env("AGENT_WORMHOLE_JAVA_OPTS", "-XX:+PrintCommandLineFlags")
                .start()) {
            String flags = connect.nextLine(Duration.ofSeconds(30)).orElse("");

            assertAll(() -> assertTrue(flags.contains("-XX:+UseSerialGC"), flags),
                    () -> assertFalse(flags.contains("TieredStopAtLevel"), flags),
                    () -> assertTrue(flags.contains("-XX:MaxHeapSize=201326592"), "one channel's heap is capped at 192 MiB: " + flags));
        }
    }

    @Test
    void aChannelEndGetsAFixedYoungGeneration() {
        try (Image.Running connect = image.command("connect")
                .env("AGENT_WORMHOLE_JAVA_OPTS", "-XX:+PrintCommandLineFlags")
                .start()) {
            String flags = connect.nextLine(Duration.ofSeconds(30)).orElse("");

            assertAll(() -> assertTrue(flags.contains("-XX:NewSize=25165824"), flags),
                    () -> assertTrue(flags.contains("-XX:MaxNewSize=25165824"), flags),
                    () -> assertTrue(flags.contains("-XX:SurvivorRatio=2"), flags),
                    () -> assertTrue(flags.contains("-XX:InitialHeapSize=33554432"), flags));
        }
    }

    @Test
    void aSmallHeapGivenByTheUserStartsWithTheJvmsOwnYoungGeneration() {
        // A fixed 24 MiB young generation in a 24 MiB heap made JDK 25 refuse to start. A malformed
        // code makes the started JVM's main exit at once with a usage error.
        try (Image.Running connect = image.command("connect", "NOT-a-code")
                .env("AGENT_WORMHOLE_JAVA_OPTS", "-Xmx24m -XX:+PrintCommandLineFlags")
                .start()) {
            String flags = connect.nextLine(Duration.ofSeconds(30)).orElse("");

            assertAll(() -> assertTrue(flags.contains("-XX:MaxHeapSize=25165824"), flags),
                    () -> assertFalse(flags.contains("-XX:NewSize=25165824"), flags),
                    () -> assertFalse(flags.contains("SurvivorRatio"), flags),
                    () -> assertEquals(2, connect.waitFor(Duration.ofSeconds(30)), "a usage error from a JVM that started"));
        }
    }

    @Test
    void aHeapSizeGivenByTheUserReplacesTheCap() {
        try (Image.Running connect = image.command("connect")
                .env("AGENT_WORMHOLE_JAVA_OPTS", "-Xms300m -XX:+PrintCommandLineFlags")
                .start()) {
            String flags = connect.nextLine(Duration.ofSeconds(30)).orElse("");

            assertAll(() -> assertTrue(flags.contains("-XX:InitialHeapSize=314572800"), flags),
                    () -> assertFalse(flags.contains("-XX:MaxHeapSize=201326592"), flags));
        }
    }

    private Path copyImage(Path target) throws IOException {
        Path source = image.home();
        Path copy = target.resolve("moved image");
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(copy.resolve(source.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                // no attributes copied but permissions, like a plain cp -r
                Path to = copy.resolve(source.relativize(file).toString());
                Files.copy(file, to, LinkOption.NOFOLLOW_LINKS);
                if (!attrs.isSymbolicLink()) {
                    Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(file));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return copy;
    }

    private static Path which(String tool) {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no " + tool + " in /usr/bin or /bin");
    }
}
