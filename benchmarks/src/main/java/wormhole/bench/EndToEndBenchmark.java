package wormhole.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs the linked image end to end on 127.0.0.1, as real processes with their own runtime folders, and
 * prints one Markdown table: first the largest file on a fresh channel (new processes whose first item
 * it is, as a user sees it), then the handshake, the {@code send} wall time and the send-to-peer-line
 * latency of texts, and the wall time, throughput and receiver's peak RSS of 10 MiB, 100 MiB and 1 GiB
 * files sent in turn over one channel (warm), in direct mode and through a relay process started here
 * with its limits lifted.
 *
 * <p>Usage: {@code java -cp benchmarks/target/classes wormhole.bench.EndToEndBenchmark [IMAGE_DIR]
 * [--messages N] [--warmup N] [--sizes MIB,...] [--modes direct,relay] [--receiver-opts "JVM FLAGS"]}.
 * Defaults: {@code image/target/agent-wormhole}, 200 messages after 5 warm-up ones, sizes 10,100,1024,
 * both modes, the launcher's own JVM flags for the receiver. Or: {@code mvn -q -o -pl benchmarks
 * exec:exec@e2e}. Every process and file it starts is gone when it returns, failed or not.
 */
public final class EndToEndBenchmark {
    private static final long MIB = 1L << 20;

    private EndToEndBenchmark() {
    }

    /** What one mode measured. */
    private record ModeFigures(String mode, Fresh fresh, long handshakeNanos, long[] sendWall, long[] lineLatency,
                               List<FileFigures> files, String receiverHeap) {
    }

    /** The largest file as the first item of a new channel, and that channel's handshake. */
    private record Fresh(long handshakeNanos, FileFigures file) {
        long totalNanos() {
            return handshakeNanos + file.wallNanos();
        }
    }

    /**
     * One file: {@code send --file} started to the receiver's file line, and the receiver's peak RSS
     * (VmHWM, reset just before the send).
     */
    private record FileFigures(long bytes, long wallNanos, long sendExitNanos, long peakRssBytes,
                               long senderCpuNanos, long receiverCpuNanos) {
        double megabytesPerSecond() {
            return bytes / 1e6 / (wallNanos / 1e9);
        }
    }

    /**
     * Runs the benchmark and prints its table.
     *
     * @param args see the class comment
     * @throws Exception when a process fails, a line does not come in time, or a command exits non-zero
     */
    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path scratch = Files.createTempDirectory("wormhole-e2e");
        Thread cleanup = new Thread(() -> deleteTree(scratch));
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            Launcher launcher = new Launcher(options.image(), scratch);
            List<Path> files = new ArrayList<>();
            for (long mib : options.sizesMib()) {
                Path file = scratch.resolve("files").resolve(mib + "MiB.bin");
                Files.createDirectories(file.getParent());
                TestFiles.write(file, mib * MIB);
                files.add(file);
            }
            List<ModeFigures> results = new ArrayList<>();
            for (String mode : options.modes()) {
                results.add(runMode(launcher, scratch.resolve(mode), mode, options, files));
            }
            print(results, options);
        } finally {
            deleteTree(scratch);
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }

    private static ModeFigures runMode(Launcher launcher, Path dir, String mode, Options options, List<Path> files)
            throws Exception {
        System.err.printf("%s: starting%n", mode);
        ImageProcess relay = null;
        try {
            String url = null;
            if (mode.equals("relay")) {
                relay = launcher.start("relay", null, null, "relay", "--bind", "127.0.0.1", "--port", "0",
                        "--admin-port", "0", "--mib-per-minute", Integer.toString(1 << 20),
                        "--frames-per-minute", Integer.toString(Integer.MAX_VALUE));
                String started = relay.awaitLine("\"event\":\"relay_started\"", ChannelPair.LINE_TIMEOUT_MILLIS).text();
                url = "ws://127.0.0.1:" + started.replaceAll(".*\"port\":(\\d+).*", "$1");
            }
            Fresh fresh;
            try (ChannelPair pair = ChannelPair.open(launcher, Files.createDirectories(dir.resolve("fresh")), url,
                    options.receiverOpts())) {
                fresh = new Fresh(pair.handshakeNanos, sendFile(launcher, pair, files.get(files.size() - 1)));
            }
            try (ChannelPair pair = ChannelPair.open(launcher, Files.createDirectories(dir.resolve("warm")), url,
                    options.receiverOpts())) {
                long[][] texts = sendTexts(launcher, pair, options);
                List<FileFigures> figures = new ArrayList<>();
                for (Path file : files) {
                    figures.add(sendFile(launcher, pair, file));
                }
                return new ModeFigures(mode, fresh, pair.handshakeNanos, texts[0], texts[1], figures,
                        Heap.describe(pair.peer.pid()));
            }
        } finally {
            if (relay != null) {
                relay.close();
            }
        }
    }

    /** @return the {@code send} wall times and the send-start to peer-line latencies */
    private static long[][] sendTexts(Launcher launcher, ChannelPair pair, Options options) throws Exception {
        long[] wall = new long[options.messages()];
        long[] latency = new long[options.messages()];
        for (int i = -options.warmup(); i < options.messages(); i++) {
            String body = "msg-" + (i + options.warmup());
            long start = System.nanoTime();
            long w = launcher.run(pair.hostRuntime, ChannelPair.LINE_TIMEOUT_MILLIS, "send", pair.code, body);
            ImageProcess.Line line = pair.peer.awaitLine("\"body\":\"" + body + "\"", ChannelPair.LINE_TIMEOUT_MILLIS);
            if (i >= 0) {
                wall[i] = w;
                latency[i] = line.nanos() - start;
            }
        }
        return new long[][] {wall, latency};
    }

    private static FileFigures sendFile(Launcher launcher, ChannelPair pair, Path file) throws Exception {
        long bytes = Files.size(file);
        System.err.printf("  %s%n", file.getFileName());
        long timeoutMillis = 60_000 + bytes / 5_000; // at least 5 MB/s
        pair.peer.resetPeakRss();
        long senderCpu = pair.host.cpuNanos();
        long receiverCpu = pair.peer.cpuNanos();
        long start = System.nanoTime();
        long exit = launcher.run(pair.hostRuntime, timeoutMillis, "send", pair.code, "--file", file.toString(),
                "--timeout", Long.toString(timeoutMillis / 1000));
        String name = "\"name\":\"" + file.getFileName() + "\"";
        ImageProcess.Line line = pair.peer.awaitLine("\"type\":\"file\"", ChannelPair.LINE_TIMEOUT_MILLIS);
        long peak = pair.peer.peakRss();
        senderCpu = pair.host.cpuNanos() - senderCpu;
        receiverCpu = pair.peer.cpuNanos() - receiverCpu;
        if (!line.text().contains(name) || !line.text().contains("\"size\":" + bytes)) {
            throw pair.peer.failure("printed an unexpected file line: " + line.text());
        }
        String saved = line.text().replaceAll(".*\"saved_to\":\"([^\"]+)\".*", "$1");
        Files.deleteIfExists(Path.of(saved));
        return new FileFigures(bytes, line.nanos() - start, exit, peak, senderCpu, receiverCpu);
    }

    private static void print(List<ModeFigures> results, Options options) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("End to end on 127.0.0.1, %s, %d CPUs, %s image; %d texts after %d warm-up; "
                        + "MB = 10^6 bytes; receiver JVM: %s%n%n", LocalDate.now(), Runtime.getRuntime().availableProcessors(),
                Heap.imageJava(options.image()), options.messages(), options.warmup(),
                results.stream().map(r -> r.receiverHeap()).distinct().reduce((a, b) -> a + "; " + b).orElse("?")));
        out.append("| |");
        results.forEach(r -> out.append(' ').append(r.mode()).append(" |"));
        out.append("\n|---|");
        results.forEach(r -> out.append("---:|"));
        out.append('\n');
        long freshMib = options.sizesMib()[options.sizesMib().length - 1];
        String fresh = (freshMib % 1024 == 0 ? freshMib / 1024 + " GiB" : freshMib + " MiB") + ", fresh channel";
        row(out, fresh + ": host start -> file line (handshake + file)", results,
                r -> String.format("%.2f s", r.fresh().totalNanos() / 1e9));
        row(out, fresh + ": `send --file` start -> file line", results,
                r -> String.format("%.2f s (%.0f MB/s)", r.fresh().file().wallNanos() / 1e9,
                        r.fresh().file().megabytesPerSecond()));
        row(out, fresh + ": receiver peak RSS (VmHWM)", results,
                r -> String.format("%.0f MB", r.fresh().file().peakRssBytes() / 1e6));
        row(out, fresh + ": CPU time, sending / receiving end", results,
                r -> String.format("%.2f / %.2f s", r.fresh().file().senderCpuNanos() / 1e9,
                        r.fresh().file().receiverCpuNanos() / 1e9));
        row(out, "handshake (host start -> both connected)", results, r -> ms(r.handshakeNanos()));
        row(out, "`send` text, wall time: median / p99", results,
                r -> ms(pct(r.sendWall(), 50)) + " / " + ms(pct(r.sendWall(), 99)));
        row(out, "`send` start -> peer's text line: median / p99", results,
                r -> ms(pct(r.lineLatency(), 50)) + " / " + ms(pct(r.lineLatency(), 99)));
        for (int i = 0; i < options.sizesMib().length; i++) {
            int f = i;
            String size = options.sizesMib()[i] % 1024 == 0
                    ? options.sizesMib()[i] / 1024 + " GiB" : options.sizesMib()[i] + " MiB";
            row(out, size + " (warm channel): `send --file` start -> file line", results,
                    r -> String.format("%.2f s", r.files().get(f).wallNanos() / 1e9));
            row(out, size + ": throughput", results,
                    r -> String.format("%.0f MB/s", r.files().get(f).megabytesPerSecond()));
            row(out, size + ": receiver peak RSS (VmHWM)", results,
                    r -> String.format("%.0f MB", r.files().get(f).peakRssBytes() / 1e6));
            row(out, size + ": CPU time, sending / receiving end", results,
                    r -> String.format("%.2f / %.2f s", r.files().get(f).senderCpuNanos() / 1e9,
                            r.files().get(f).receiverCpuNanos() / 1e9));
        }
        System.out.print(out);
        System.out.flush();
    }

    private static void row(StringBuilder out, String label, List<ModeFigures> results,
                            java.util.function.Function<ModeFigures, String> cell) {
        out.append("| ").append(label).append(" |");
        results.forEach(r -> out.append(' ').append(cell.apply(r)).append(" |"));
        out.append('\n');
    }

    private static String ms(long nanos) {
        return String.format("%.0f ms", nanos / 1e6);
    }

    /** Nearest-rank percentile. */
    private static long pct(long[] values, int p) {
        if (values.length == 0) {
            return 0;
        }
        long[] s = values.clone();
        Arrays.sort(s);
        int i = (int) Math.ceil(p / 100.0 * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, i))];
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    System.err.println("could not delete " + p + ": " + e.getMessage());
                }
            });
        } catch (IOException e) {
            System.err.println("could not delete " + root + ": " + e.getMessage());
        }
    }

    /** The command line. */
    private record Options(Path image, int messages, int warmup, long[] sizesMib, List<String> modes,
                           String receiverOpts) {
        static Options parse(String[] args) {
            Path image = Path.of("image/target/agent-wormhole");
            int messages = 200;
            int warmup = 5;
            long[] sizes = {10, 100, 1024};
            List<String> modes = List.of("direct", "relay");
            String receiverOpts = null;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--messages" -> messages = Integer.parseInt(value(args, ++i));
                    case "--warmup" -> warmup = Integer.parseInt(value(args, ++i));
                    case "--sizes" -> sizes = Arrays.stream(value(args, ++i).split(",")).mapToLong(Long::parseLong).toArray();
                    case "--modes" -> modes = List.of(value(args, ++i).split(","));
                    case "--receiver-opts" -> receiverOpts = value(args, ++i);
                    default -> {
                        if (args[i].startsWith("-")) {
                            throw new IllegalArgumentException("unknown option " + args[i]);
                        }
                        image = Path.of(args[i]);
                    }
                }
            }
            if (messages < 1 || warmup < 0 || !List.of("direct", "relay").containsAll(modes)) {
                throw new IllegalArgumentException("--messages must be at least 1, --warmup at least 0, "
                        + "--modes from direct,relay");
            }
            return new Options(image, messages, warmup, sizes, modes, receiverOpts);
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) {
                throw new IllegalArgumentException(args[i - 1] + " needs a value");
            }
            return args[i];
        }
    }
}
