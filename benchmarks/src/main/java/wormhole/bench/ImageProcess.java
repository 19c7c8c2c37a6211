package wormhole.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One long-running process of the image (host, connect, relay): its stdout lines with the time each
 * arrived, its stderr in a log file, and its peak resident memory. The launcher execs java, so the
 * started process is the JVM itself and its {@code /proc} entry is the JVM's.
 */
final class ImageProcess implements AutoCloseable {
    /** One stdout line and the {@link System#nanoTime()} at which it was read. */
    record Line(String text, long nanos) {
    }

    private final String name;
    private final Process process;
    private final Path stderr;
    private final BlockingQueue<Line> lines = new LinkedBlockingQueue<>();

    private ImageProcess(String name, Process process, Path stderr) {
        this.name = name;
        this.process = process;
        this.stderr = stderr;
    }

    /**
     * Starts a command with extra environment variables (a null value removes one).
     *
     * @param name    a label for messages
     * @param command the launcher and its arguments
     * @param env     variables to set or remove
     * @param logDir  where its stderr goes ({@code NAME.log})
     */
    static ImageProcess start(String name, List<String> command, Map<String, String> env, Path logDir)
            throws IOException {
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder b = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectError(log.toFile());
        Launcher.apply(b.environment(), env);
        ImageProcess p = new ImageProcess(name, b.start(), log);
        Thread reader = new Thread(p::readLines, name + "-stdout");
        reader.setDaemon(true);
        reader.start();
        return p;
    }

    private void readLines() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                lines.add(new Line(l, System.nanoTime()));
            }
        } catch (IOException e) {
            // the process ended; awaitLine reports it
        }
    }

    /**
     * Waits for the next stdout line that contains {@code fragment}, skipping others.
     *
     * @throws BenchmarkException when it does not come within the time-out or the process ends first
     */
    Line awaitLine(String fragment, long timeoutMillis) throws InterruptedException, BenchmarkException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw failure("no line with " + fragment + " within " + timeoutMillis + " ms");
            }
            Line l = lines.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
            if (l == null) {
                if (!process.isAlive() && lines.isEmpty()) {
                    throw failure("ended (exit " + process.exitValue() + ") before a line with " + fragment);
                }
            } else if (l.text().contains(fragment)) {
                return l;
            } else if (l.text().contains("\"type\":\"error\"") || l.text().contains("\"event\":\"error\"")) {
                throw failure("reported " + l.text());
            }
        }
    }

    /** @return the process's peak resident set size in bytes (VmHWM), since start or the last reset */
    long peakRss() throws IOException {
        return ProcStatus.kib(process.pid(), "VmHWM") * 1024;
    }

    /** Resets the peak resident set size to the current one ({@code clear_refs} 5, Linux 4.0+). */
    void resetPeakRss() throws IOException {
        Files.writeString(Path.of("/proc", Long.toString(process.pid()), "clear_refs"), "5");
    }

    /** @return the CPU time it has used so far, in nanoseconds */
    long cpuNanos() throws IOException {
        return ProcStatus.cpuNanos(process.pid());
    }

    long pid() {
        return process.pid();
    }

    /** @return an exception naming this process, with the end of its stderr */
    BenchmarkException failure(String what) {
        return new BenchmarkException(name + " (pid " + process.pid() + ") " + what + Launcher.tail(stderr));
    }

    /** Ends the process: SIGTERM, then SIGKILL after 5 s (at once if this thread is interrupted). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
