package wormhole.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures what an agent feels in direct mode, end to end with the linked image on 127.0.0.1: the
 * handshake time (host started to both ends connected), the {@code send} command's own wall time, and
 * the latency from starting {@code send} to the text line on the peer's stdout. Prints median, p90,
 * p99 and min.
 *
 * <p>Usage: {@code java -cp benchmarks/target/classes wormhole.bench.SendLatencyBenchmark [IMAGE_DIR]
 * [--messages N] [--warmup N]}; the image defaults to {@code image/target/agent-wormhole}.
 */
public final class SendLatencyBenchmark {
    private static final Pattern CODE = Pattern.compile("\"code\":\"([^\"]+)\"");
    private static final Pattern BODY = Pattern.compile("\"body\":\"(msg-\\d+)\"");

    private SendLatencyBenchmark() {
    }

    /**
     * @param args {@code [IMAGE_DIR] [--messages N] [--warmup N]}
     * @throws Exception when a process fails or a line does not come
     */
    public static void main(String[] args) throws Exception {
        Path image = Path.of("image/target/agent-wormhole");
        int messages = 50;
        int warmup = 5;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--messages" -> messages = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> image = Path.of(args[i]);
            }
        }
        Path launcher = image.resolve("bin/agent-wormhole").toAbsolutePath();
        Path tmp = Files.createTempDirectory("wormhole-bench");
        Path hostRt = Files.createDirectories(tmp.resolve("host"));
        Path peerRt = Files.createDirectories(tmp.resolve("peer"));

        long t0 = System.nanoTime();
        Process host = start(List.of(launcher.toString(), "host", "--direct", "--bind", "127.0.0.1"), hostRt);
        Lines hostLines = new Lines(host);
        String code = match(CODE, hostLines.await("\"event\":\"channel\""));
        Process peer = start(List.of(launcher.toString(), "connect", code + "@127.0.0.1"), peerRt);
        Lines peerLines = new Lines(peer);
        peerLines.await("\"event\":\"connected\"");
        hostLines.await("\"event\":\"connected\"");
        long handshake = System.nanoTime() - t0;

        try {
            for (int i = 0; i < warmup; i++) {
                sendOnce(launcher, hostRt, code, "msg-" + i, peerLines);
            }
            long[] wall = new long[messages];
            long[] latency = new long[messages];
            for (int i = 0; i < messages; i++) {
                long[] r = sendOnce(launcher, hostRt, code, "msg-" + (warmup + i), peerLines);
                wall[i] = r[0];
                latency[i] = r[1];
            }
            System.out.printf("direct mode on 127.0.0.1, %d messages after %d warm-up%n", messages, warmup);
            System.out.printf("handshake (host start -> both connected): %.1f ms%n", handshake / 1e6);
            report("send wall time", wall);
            report("send start -> peer's text line", latency);
        } finally {
            host.destroy();
            peer.destroy();
            host.waitFor(10, TimeUnit.SECONDS);
            peer.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static long[] sendOnce(Path launcher, Path runtime, String code, String body, Lines peerLines) throws Exception {
        long start = System.nanoTime();
        ProcessBuilder b = new ProcessBuilder(launcher.toString(), "send", code, body)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        b.environment().put("XDG_RUNTIME_DIR", runtime.toString());
        Process send = b.start();
        if (!send.waitFor(30, TimeUnit.SECONDS) || send.exitValue() != 0) {
            throw new IllegalStateException("send failed");
        }
        long wall = System.nanoTime() - start;
        Lines.Line line = peerLines.awaitLine("\"body\":\"" + body + "\"");
        if (!body.equals(match(BODY, line.text()))) {
            throw new IllegalStateException("unexpected line " + line.text());
        }
        return new long[] {wall, line.nanos() - start};
    }

    private static Process start(List<String> command, Path runtime) throws IOException {
        ProcessBuilder b = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        b.environment().put("XDG_RUNTIME_DIR", runtime.toString());
        return b.start();
    }

    private static void report(String what, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf("%-32s median %6.1f ms  p90 %6.1f ms  p99 %6.1f ms  min %6.1f ms%n", what + ":",
                pct(s, 50) / 1e6, pct(s, 90) / 1e6, pct(s, 99) / 1e6, s[0] / 1e6);
    }

    private static long pct(long[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static String match(Pattern p, String line) {
        Matcher m = p.matcher(line);
        if (!m.find()) {
            throw new IllegalStateException("no match in " + line);
        }
        return m.group(1);
    }

    /** A process's stdout lines with the time each arrived. */
    private static final class Lines {
        record Line(String text, long nanos) {
        }

        private final BlockingQueue<Line> queue = new LinkedBlockingQueue<>();

        Lines(Process p) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        queue.add(new Line(l, System.nanoTime()));
                    }
                } catch (IOException e) {
                    // process ended
                }
            });
            t.setDaemon(true);
            t.start();
        }

        String await(String fragment) throws InterruptedException {
            return awaitLine(fragment).text();
        }

        Line awaitLine(String fragment) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                Line l = queue.poll(100, TimeUnit.MILLISECONDS);
                if (l != null && l.text().contains(fragment)) {
                    return l;
                }
            }
            throw new IllegalStateException("no line with " + fragment);
        }
    }

}
