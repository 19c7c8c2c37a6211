package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files of any size (feature {@code stream}) between two real processes in direct mode, each with
 * its heap capped at 64 MiB so that a whole file could never fit: 300 MiB each way, verified by
 * SHA-256; directories; standard input of unknown length.
 */
@Timeout(180)
class StreamIT {
    static final long BIG = 300L * 1024 * 1024;
    static final String SMALL_HEAP = "-Xmx64m";
    static final Duration LINE = Duration.ofSeconds(20);

    @TempDir
    Path tmp;
    private Image.Running host;
    private Image.Running peer;
    private Path hostRt;
    private Path peerRt;
    private String code;

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
        if (peer != null) {
            peer.close();
        }
    }

    /** A direct channel whose two processes run with a 64 MiB heap. */
    private void connect(Image image) throws IOException {
        hostRt = Files.createDirectories(tmp.resolve("host-rt"));
        peerRt = Files.createDirectories(tmp.resolve("peer-rt"));
        host = image.command("host", "--direct", "--bind", "127.0.0.1").env("XDG_RUNTIME_DIR", hostRt.toString())
                .env("AGENT_WORMHOLE_JAVA_OPTS", SMALL_HEAP).start();
        code = Json.parse(host.awaitLine(Json.status("channel"), LINE)).path("code").asText();
        peer = image.command("connect", code + "@127.0.0.1").env("XDG_RUNTIME_DIR", peerRt.toString())
                .env("AGENT_WORMHOLE_JAVA_OPTS", SMALL_HEAP).start();
        host.awaitLine(Json.status("connected"), LINE);
        JsonNode connected = Json.parse(peer.awaitLine(Json.status("connected"), LINE));
        assertTrue(connected.path("features").toString().contains("stream"), connected::toString);
    }

    private Image.Result send(Image image, Path runtime, String... args) {
        String[] all = Stream.concat(Stream.of("send", code), Stream.of(args)).toArray(String[]::new);
        return image.command(all).env("XDG_RUNTIME_DIR", runtime.toString()).timeout(Duration.ofSeconds(150)).run();
    }

    /** Writes {@code size} deterministic pseudo-random bytes and returns their SHA-256. */
    static String generate(Path file, long size, long seed) throws IOException {
        MessageDigest sha = sha256();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; ) {
                for (int i = 0; i < block.length; i += 8) {
                    long v = random.nextLong();
                    for (int j = 0; j < 8; j++) {
                        block[i + j] = (byte) (v >>> (8 * j));
                    }
                }
                int n = (int) Math.min(block.length, left);
                out.write(block, 0, n);
                sha.update(block, 0, n);
                left -= n;
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static String sha256(Path file) throws IOException {
        MessageDigest sha = sha256();
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                sha.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** The peak resident set of a process, from /proc; -1 where unreadable. */
    static long peakRssKib(Process p) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    private void oneWay(Image image, Path fromRt, Image.Running receiver, String label, long seed) throws IOException {
        Path source = tmp.resolve(label + ".bin");
        String hash = generate(source, BIG, seed);
        long t0 = System.nanoTime();
        Image.Result r = send(image, fromRt, "--file", source.toString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        JsonNode sent = Pair.sent(r);
        assertEquals(BIG, sent.path("size").asLong(), r::toString);
        assertTrue(sent.path("confirmed").asBoolean(), r::toString);
        JsonNode file = Json.parse(receiver.awaitLine(Json.type("file"), LINE));
        Path saved = Path.of(file.path("saved_to").asText());
        assertEquals(BIG, file.path("size").asLong());
        assertEquals(BIG, Files.size(saved));
        assertEquals(hash, sha256(saved), "the file arrived whole");
        long progress = receiver.linesSoFar().stream().filter(Json.type("progress")).count();
        System.out.printf("StreamIT %s: %d MiB in %.2f s with send's start-up (%.0f MiB/s); receiver peak RSS %d KiB; %d progress lines%n",
                label, BIG >> 20, seconds, (BIG >> 20) / seconds, peakRssKib(receiver.process()), progress);
        try (Stream<Path> left = Files.list(saved.getParent())) {
            assertEquals(List.of(saved), left.toList(), "no temporary file is left beside it");
        }
        Files.delete(saved);
        Files.delete(source);
    }

    @Test
    void threeHundredMebibytesEachWayArriveWholeWithA64MebibyteHeap() throws IOException {
        Image image = Image.locate();
        connect(image);
        oneWay(image, hostRt, peer, "host-to-peer", 1);
        oneWay(image, peerRt, host, "peer-to-host", 2);
        assertTrue(host.process().isAlive() && peer.process().isAlive(), "neither end ran out of heap");
    }

    @Test
    void aDirectoryArrivesAndOneWithAHostileEntryNameIsRefusedWhole() throws IOException {
        Image image = Image.locate();
        connect(image);
        Path good = Files.createDirectories(tmp.resolve("project/src"));
        Files.writeString(good.resolve("App.java"), "class App {}");
        Files.writeString(good.getParent().resolve(".gitignore"), "target/");
        JsonNode sent = Pair.sent(send(image, hostRt, "--file", good.getParent().toString()));
        assertEquals("directory", sent.path("kind").asText());
        JsonNode dir = Json.parse(peer.awaitLine(Json.type("file"), LINE));
        assertEquals("directory", dir.path("kind").asText(), dir::toString);
        assertEquals(2, dir.path("files").asInt());
        Path saved = Path.of(dir.path("saved_to").asText());
        assertEquals("class App {}", Files.readString(saved.resolve("src/App.java")));

        Path hostile = Files.createDirectories(tmp.resolve("hostile"));
        Files.writeString(hostile.resolve("fine.txt"), "fine");
        Files.writeString(hostile.resolve("..\\..\\evil.txt"), "evil");
        Image.Result r = send(image, hostRt, "--file", hostile.toString());
        assertEquals(12, r.exitCode(), r::toString);
        assertEquals("refused", Json.parse(r.stdoutLines().get(0)).path("error").asText(), r::toString);
        JsonNode refused = Json.parse(peer.awaitLine(Json.type("error"), LINE));
        assertEquals("refused", refused.path("error").asText());
        try (Stream<Path> all = Files.walk(peerRt)) {
            List<String> names = all.map(p -> p.getFileName().toString()).toList();
            assertFalse(names.contains("hostile") || names.contains("fine.txt") || names.stream().anyMatch(n -> n.contains("evil")),
                    names::toString);
        }
        Pair.sent(send(image, hostRt, "still open"));
        assertEquals("still open", Json.parse(peer.awaitLine(Json.type("text"), LINE)).path("body").asText());
    }

    @Test
    void standardInputOfUnknownLengthStreamsAsAFile() throws IOException {
        Image image = Image.locate();
        connect(image);
        Path input = tmp.resolve("input.bin");
        String hash = generate(input, 3 * 1024 * 1024 + 5, 3);
        Image.Result r = Image.program(Path.of("/bin/sh"), "-c",
                "exec \"$0\" send \"$1\" --stdin < \"$2\"", image.launcher().toString(), code, input.toString())
                .env("XDG_RUNTIME_DIR", hostRt.toString()).run();
        JsonNode sent = Pair.sent(r);
        assertEquals("stdin", sent.path("name").asText(), r::toString);
        JsonNode file = Json.parse(peer.awaitLine(Json.type("file"), LINE));
        assertEquals("stdin", file.path("name").asText());
        assertEquals(hash, sha256(Path.of(file.path("saved_to").asText())));
    }
}
