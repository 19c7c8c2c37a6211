package wormhole.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Measures the wall-clock start-up of the runtime image's launcher: runs
 * {@code bin/agent-wormhole --version} (or the given command) a number of times after a few warm-up
 * runs, and prints the median, 90th percentile and minimum, and the image's size on disk.
 *
 * <p>Usage: {@code java -cp benchmarks/target/classes wormhole.bench.StartupBenchmark
 * [IMAGE_DIR...] [--runs N] [--warmup N] [--any-exit] [-- COMMAND ARGS...]}; the image defaults to
 * {@code image/target/agent-wormhole}. Given several images, the runs take turns (one run of each
 * image per round), so that load from other processes falls on all of them alike. A run must exit 0
 * unless {@code --any-exit} is given (e.g. to time {@code send} with no channel open, which exits 7).
 * Extra JVM flags reach the launcher through the {@code AGENT_WORMHOLE_JAVA_OPTS} environment
 * variable, which the child processes inherit.
 */
public final class StartupBenchmark {
    private static final long RUN_TIMEOUT_SECONDS = 30;

    private StartupBenchmark() {
    }

    /**
     * Runs the benchmark and prints its figures.
     *
     * @param args {@code [IMAGE_DIR...] [--runs N] [--warmup N] [--any-exit] [-- COMMAND ARGS...]}
     * @throws Exception if a run fails or times out
     */
    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        List<List<String>> commands = new ArrayList<>();
        for (Path image : options.images()) {
            Path launcher = image.resolve("bin").resolve("agent-wormhole");
            if (!Files.isExecutable(launcher)) {
                throw new IllegalArgumentException("no launcher at " + launcher + "; build the image first (mvn package)");
            }
            List<String> command = new ArrayList<>();
            command.add(launcher.toString());
            command.addAll(options.command());
            commands.add(command);
        }

        for (int i = 0; i < options.warmup(); i++) {
            for (List<String> command : commands) {
                timeOnce(command, options.anyExit());
            }
        }
        long[][] nanos = new long[commands.size()][options.runs()];
        for (int i = 0; i < options.runs(); i++) {
            for (int c = 0; c < commands.size(); c++) {
                nanos[c][i] = timeOnce(commands.get(c), options.anyExit());
            }
        }

        System.out.printf("opts:     AGENT_WORMHOLE_JAVA_OPTS=%s%n",
                System.getenv().getOrDefault("AGENT_WORMHOLE_JAVA_OPTS", ""));
        System.out.printf("runs:     %d (after %d warm-up)%n", options.runs(), options.warmup());
        for (int c = 0; c < commands.size(); c++) {
            long[] sorted = nanos[c].clone();
            Arrays.sort(sorted);
            Path image = options.images().get(c);
            long bytes = sizeOnDisk(image);
            System.out.printf("%ncommand:  %s%n", String.join(" ", commands.get(c)));
            System.out.printf("median:   %.1f ms%n", millis(percentile(sorted, 50)));
            System.out.printf("p90:      %.1f ms%n", millis(percentile(sorted, 90)));
            System.out.printf("min:      %.1f ms%n", millis(sorted[0]));
            System.out.printf("image:    %d bytes (%.1f MiB) in %s%n", bytes, bytes / (1024.0 * 1024.0), image);
        }
    }

    /** Runs the command once with stdout and stderr discarded; fails unless it exits 0 or any exit is allowed. */
    private static long timeOnce(List<String> command, boolean anyExit) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out after " + RUN_TIMEOUT_SECONDS + " s: " + command);
        }
        long elapsed = System.nanoTime() - start;
        if (!anyExit && process.exitValue() != 0) {
            throw new IllegalStateException("exit status " + process.exitValue() + ": " + command);
        }
        return elapsed;
    }

    /** Nearest-rank percentile of sorted values. */
    private static long percentile(long[] sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }

    /** Sum of the sizes of the regular files under the directory, like {@code du -sb}, links not followed. */
    private static long sizeOnDisk(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.mapToLong(StartupBenchmark::regularFileSize).sum();
        }
    }

    private static long regularFileSize(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            return attributes.isRegularFile() ? attributes.size() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The parsed command line. */
    private record Options(List<Path> images, int runs, int warmup, boolean anyExit, List<String> command) {
        static Options parse(String[] args) {
            List<Path> images = new ArrayList<>();
            int runs = 30;
            int warmup = 3;
            boolean anyExit = false;
            List<String> command = List.of("--version");
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--runs" -> runs = positive(args, ++i);
                    case "--warmup" -> warmup = Integer.parseInt(value(args, ++i));
                    case "--any-exit" -> anyExit = true;
                    case "--" -> {
                        command = List.of(Arrays.copyOfRange(args, i + 1, args.length));
                        i = args.length;
                    }
                    default -> images.add(Path.of(args[i]).toAbsolutePath().normalize());
                }
            }
            if (images.isEmpty()) {
                images.add(Path.of("image", "target", "agent-wormhole").toAbsolutePath().normalize());
            }
            return new Options(List.copyOf(images), runs, warmup, anyExit, command);
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) {
                throw new IllegalArgumentException("missing value after " + args[i - 1]);
            }
            return args[i];
        }

        private static int positive(String[] args, int i) {
            int n = Integer.parseInt(value(args, i));
            if (n < 1) {
                throw new IllegalArgumentException(args[i - 1] + " must be at least 1");
            }
            return n;
        }
    }
}
