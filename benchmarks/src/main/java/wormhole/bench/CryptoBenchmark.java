package wormhole.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Prints SPAKE2 handshakes per second and AES-256-GCM seal+open throughput (JDK's GCM, bcprov's GCM
 * and the module's FrameSession) for 16 KiB to 1 MiB messages, cold and warm.
 *
 * <p>Every figure comes from its own fresh JVM (same java, same class path): "cold" is what that JVM
 * does in the first second after main starts (class loading, interpreter, JIT compiling as it
 * goes); "warm" is measured in the same JVM after a warm-up. Throughput is plaintext megabytes
 * (10^6 bytes) per second, each byte sealed once and opened once.
 *
 * <p>The cold SPAKE2 and session figures include the first use of bcprov, which from a signed JAR
 * on the class path costs about 0.4 s of signature checking (not so in a jlink image).
 *
 * <p>Why timed by hand and not with JMH: the figure that chose the cipher ({@code FrameSession}'s
 * Javadoc) is the first second of a fresh JVM, which is what a short-lived {@code agent-wormhole}
 * process sees and what JMH's warm-up and forks are built to leave out; the warm figures only confirm
 * the order of magnitude (two orders between SunJCE and bcprov), which needs no finer harness. Each
 * figure still comes from a fresh JVM, and every round checks its output so nothing is optimised
 * away. The project therefore declares no JMH.
 *
 * <p>Usage: {@code java -cp CLASSPATH wormhole.bench.CryptoBenchmark [--warmup S] [--measure S]
 * [--repeat N]} runs everything (each figure the best of N fresh JVMs); {@code --one ENGINE SIZE} (ENGINE jdk, bcprov, session or spake2) runs one
 * measurement in this JVM and prints one {@code RESULT cold warm} line.
 */
public final class CryptoBenchmark {
    private static final int[] SIZES = {16 << 10, 64 << 10, 256 << 10, 1 << 20};
    private static final String[] ENGINES = {"jdk", "bcprov", "session"};
    private static final long CHILD_TIMEOUT_SECONDS = 120;

    private CryptoBenchmark() {
    }

    /**
     * Runs the whole table, or one measurement.
     *
     * @param args {@code [--warmup S] [--measure S]} or {@code --one ENGINE SIZE [--warmup S] [--measure S]}
     * @throws Exception when a measurement fails
     */
    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        double warmup = 4;
        double measure = 2;
        int repeat = 1;
        String oneEngine = null;
        int oneSize = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--measure" -> measure = Double.parseDouble(args[++i]);
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "--one" -> {
                    oneEngine = args[++i];
                    oneSize = Integer.parseInt(args[++i]);
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: [--warmup S] [--measure S] [--repeat N] | --one ENGINE SIZE");
            }
        }
        if (oneEngine != null) {
            double[] r = measureOne(start, oneEngine, oneSize, warmup, measure);
            System.out.printf(Locale.ROOT, "RESULT %.1f %.1f%n", r[0], r[1]);
            return;
        }
        runTable(warmup, measure, Math.max(1, repeat));
    }

    private static void runTable(double warmup, double measure, int repeat) throws IOException, InterruptedException {
        System.out.printf(Locale.ROOT, "CryptoBenchmark on %s %s (%s), %d cpus, warm-up %.0f s, measure %.0f s,"
                + " best of %d fresh JVMs per figure%n", System.getProperty("java.vm.name"),
                System.getProperty("java.version"), System.getProperty("java.home"),
                Runtime.getRuntime().availableProcessors(), warmup, measure, repeat);
        double[] spake = best(repeat, "spake2", 0, warmup, measure);
        System.out.printf(Locale.ROOT, "%nSPAKE2 full handshakes per second (A and B: start + finish)%n");
        System.out.printf(Locale.ROOT, "  cold (1st s): %8.1f /s%n  warm:         %8.1f /s%n", spake[0], spake[1]);

        System.out.printf(Locale.ROOT, "%nAES-256-GCM seal+open, MB/s of plaintext (fresh JVM per cell; jdk = SunJCE"
                + " GCM, bcprov = GCMBlockCipher/AESEngine, session = wormhole.crypto FrameSession,"
                + " whose cold second includes one SPAKE2 handshake)%n");
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-9s", "size"));
        for (String engine : ENGINES) {
            header.append(String.format(Locale.ROOT, " | %12s %12s", engine + " cold", engine + " warm"));
        }
        System.out.println(header);
        for (int size : SIZES) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-9s", (size >> 10) + " KiB"));
            for (String engine : ENGINES) {
                double[] r = best(repeat, engine, size, warmup, measure);
                row.append(String.format(Locale.ROOT, " | %12.0f %12.0f", r[0], r[1]));
            }
            System.out.println(row);
        }
    }

    /** @return the best cold and the best warm figure of {@code repeat} fresh JVMs (others share the CPUs) */
    private static double[] best(int repeat, String engine, int size, double warmup, double measure)
            throws IOException, InterruptedException {
        double[] best = {0, 0};
        for (int i = 0; i < repeat; i++) {
            double[] r = child(engine, size, warmup, measure);
            best[0] = Math.max(best[0], r[0]);
            best[1] = Math.max(best[1], r[1]);
        }
        return best;
    }

    /** Runs {@code --one engine size} in a fresh JVM of the same java and class path. */
    private static double[] child(String engine, int size, double warmup, double measure)
            throws IOException, InterruptedException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                CryptoBenchmark.class.getName(), "--one", engine, Integer.toString(size),
                "--warmup", Double.toString(warmup), "--measure", Double.toString(measure)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String result = null;
        StringBuilder output = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                output.append(line).append('\n');
                if (line.startsWith("RESULT ")) {
                    result = line;
                }
            }
        }
        if (!process.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("measurement " + engine + " " + size + " timed out");
        }
        if (process.exitValue() != 0 || result == null) {
            throw new IOException("measurement " + engine + " " + size + " failed:\n" + output);
        }
        String[] parts = result.split(" ");
        return new double[] {Double.parseDouble(parts[1]), Double.parseDouble(parts[2])};
    }

    /**
     * Measures in this JVM: the rate during the first second after {@code jvmStart}, then the rate
     * over {@code measure} seconds after {@code warmup} more seconds.
     *
     * @return {cold, warm}: MB/s for a cipher, handshakes/s for spake2
     */
    static double[] measureOne(long mainStart, String engine, int size, double warmup, double measure)
            throws Exception {
        Runnable round = roundFor(engine, size);
        double unit = engine.equals("spake2") ? 1 : size / 1e6;
        double cold = rate(round, mainStart, 1.0) * unit;
        rate(round, System.nanoTime(), warmup);
        double warm = rate(round, System.nanoTime(), measure) * unit;
        return new double[] {cold, warm};
    }

    /** @return rounds per second completed between {@code from} and {@code from + seconds} */
    private static double rate(Runnable round, long from, double seconds) {
        long end = from + (long) (seconds * 1e9);
        long rounds = 0;
        long now;
        do {
            round.run();
            rounds++;
            now = System.nanoTime();
        } while (now < end);
        return rounds / ((now - from) / 1e9);
    }

    private static Runnable roundFor(String engine, int size) throws Exception {
        if (engine.equals("spake2")) {
            SecureRandom random = new SecureRandom();
            byte[] code = "4242-apple-banana-cherry".getBytes(StandardCharsets.UTF_8);
            return () -> {
                try {
                    GcmLoop.handshake(random, code);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
        }
        GcmLoop loop = GcmLoop.create(engine, size);
        return () -> {
            try {
                loop.round();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }
}
