package wormhole.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The linked runtime image under test, and a way to run its {@code bin/agent-wormhole} as a real
 * process: either to completion ({@link Command#run()}) or as a long-running process whose stdout
 * lines are read as they come ({@link Command#start()}).
 *
 * <p>The image is found through the system property {@value #IMAGE_PROPERTY}, which the image
 * module's pom sets for failsafe.
 */
public final class Image {
    /** The system property naming the image folder. */
    public static final String IMAGE_PROPERTY = "agent.wormhole.image";
    /** The system property holding the project version the image must report. */
    public static final String VERSION_PROPERTY = "agent.wormhole.version";
    /** How long a command may run when no time-out is given. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final Path home;

    private Image(Path home) {
        this.home = home;
    }

    /**
     * Returns the image named by {@value #IMAGE_PROPERTY}.
     *
     * @return the image
     * @throws IllegalStateException if the property is unset or names no image with a launcher
     */
    public static Image locate() {
        String dir = System.getProperty(IMAGE_PROPERTY);
        if (dir == null || dir.isBlank()) {
            throw new IllegalStateException("system property " + IMAGE_PROPERTY + " is not set; run the tests with mvn verify");
        }
        return at(Path.of(dir));
    }

    /**
     * Returns the image in a folder (e.g. a copy of the built one).
     *
     * @param home the image folder, holding {@code bin/agent-wormhole}
     * @return the image
     * @throws IllegalStateException if the folder has no launcher
     */
    public static Image at(Path home) {
        Path absolute = home.toAbsolutePath().normalize();
        if (!Files.isExecutable(absolute.resolve("bin").resolve("agent-wormhole"))) {
            throw new IllegalStateException("no runtime image with bin/agent-wormhole at " + absolute + "; run mvn package first");
        }
        return new Image(absolute);
    }

    /**
     * Returns the project version the image must report, from {@value #VERSION_PROPERTY}.
     *
     * @return the version
     */
    public static String expectedVersion() {
        return Optional.ofNullable(System.getProperty(VERSION_PROPERTY))
                .orElseThrow(() -> new IllegalStateException("system property " + VERSION_PROPERTY + " is not set"));
    }

    /** @return the image folder */
    public Path home() {
        return home;
    }

    /** @return the launcher, {@code bin/agent-wormhole} */
    public Path launcher() {
        return home.resolve("bin").resolve("agent-wormhole");
    }

    /** @return the image's own {@code bin/java} */
    public Path java() {
        return home.resolve("bin").resolve("java");
    }

    /**
     * Starts describing a run of the launcher.
     *
     * @param args the command line after {@code agent-wormhole}
     * @return a command to adjust and run
     */
    public Command command(String... args) {
        return new Command(launcher(), List.of(args));
    }

    /**
     * Starts describing a run of any program (e.g. the image's {@code bin/java}, or the launcher
     * through a symbolic link).
     *
     * @param program the program to run
     * @param args its arguments
     * @return a command to adjust and run
     */
    public static Command program(Path program, String... args) {
        return new Command(program, List.of(args));
    }

    /**
     * Runs {@code agent-wormhole} with arguments and waits for it, with the default time-out.
     *
     * @param args the command line after {@code agent-wormhole}
     * @return what it printed and its exit status
     */
    public Result run(String... args) {
        return command(args).run();
    }

    /** What a finished process printed, and its exit status. */
    public record Result(int exitCode, String stdout, String stderr) {
        /** @return stdout split into lines, without line terminators */
        public List<String> stdoutLines() {
            return stdout.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    /** One run of a program: arguments, environment, working folder, stdin and time-out. */
    public static final class Command {
        private final Path program;
        private final List<String> args;
        private final Map<String, String> env = new LinkedHashMap<>(System.getenv());
        private Path directory;
        private byte[] stdin = new byte[0];
        private Duration timeout = DEFAULT_TIMEOUT;

        private Command(Path program, List<String> args) {
            this.program = program;
            this.args = args;
        }

        /**
         * Sets or, with a null value, removes one environment variable (the rest is inherited).
         *
         * @param name the variable
         * @param value its value, or null to remove it
         * @return this command
         */
        public Command env(String name, String value) {
            if (value == null) {
                env.remove(name);
            } else {
                env.put(name, value);
            }
            return this;
        }

        /**
         * Starts from an empty environment instead of this JVM's.
         *
         * @return this command
         */
        public Command clearEnv() {
            env.clear();
            return this;
        }

        /**
         * Runs in another working folder.
         *
         * @param dir the working folder
         * @return this command
         */
        public Command directory(Path dir) {
            this.directory = dir;
            return this;
        }

        /**
         * Feeds text to stdin (UTF-8); stdin is then closed. Without it, stdin is empty.
         *
         * @param text the input
         * @return this command
         */
        public Command stdin(String text) {
            this.stdin = text.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /**
         * Sets how long {@link #run()} waits before it kills the process and fails.
         *
         * @param limit the time-out
         * @return this command
         */
        public Command timeout(Duration limit) {
            this.timeout = limit;
            return this;
        }

        /**
         * Runs to completion, with stdout and stderr captured as UTF-8.
         *
         * @return what the process printed and its exit status
         * @throws AssertionError if it did not finish within the time-out (it is killed)
         */
        public Result run() {
            Process process = launch();
            CompletableFuture<String> out = readAll(process.getInputStream());
            CompletableFuture<String> err = readAll(process.getErrorStream());
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin);
            } catch (IOException e) {
                // the process may exit without reading its input; what it printed still counts
            }
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                    throw new AssertionError("timed out after " + timeout + ": " + describe()
                            + "\n--- stdout\n" + out.getNow("") + "--- stderr\n" + err.getNow(""));
                }
                return new Result(process.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while running " + describe(), e);
            } catch (ExecutionException | TimeoutException e) {
                throw new AssertionError("could not read the output of " + describe(), e);
            }
        }

        /**
         * Starts a long-running process; read its stdout line by line from the result, and close
         * it to kill it. The stdin bytes given are written, and stdin stays open.
         *
         * @return the running process
         */
        public Running start() {
            Process process = launch();
            Running running = new Running(process, describe());
            if (stdin.length > 0) {
                running.write(new String(stdin, StandardCharsets.UTF_8));
            }
            return running;
        }

        private Process launch() {
            List<String> command = new ArrayList<>();
            command.add(program.toString());
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().clear();
            builder.environment().putAll(env);
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            try {
                return builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + describe(), e);
            }
        }

        private String describe() {
            return program + " " + String.join(" ", args);
        }
    }

    /**
     * A process that keeps running: stdout lines are queued as they come, stderr is collected, and
     * {@link #close()} kills what is still alive.
     */
    public static final class Running implements AutoCloseable {
        private static final String END = new String("<end of stdout>");

        private final Process process;
        private final String description;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final CompletableFuture<String> stderr;
        private final List<String> seen = new ArrayList<>();
        private boolean ended;

        private Running(Process process, String description) {
            this.process = process;
            this.description = description;
            this.stderr = readAll(process.getErrorStream());
            Thread reader = new Thread(this::pumpStdout, "stdout of " + description);
            reader.setDaemon(true);
            reader.start();
        }

        private void pumpStdout() {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the stream closes when the process is killed; the end marker follows
            } finally {
                lines.add(END);
            }
        }

        /** @return the process, e.g. for its pid or to send it a signal */
        public Process process() {
            return process;
        }

        /**
         * Waits for the next stdout line.
         *
         * @param limit how long to wait
         * @return the line, or empty at the end of stdout
         * @throws AssertionError if no line came in time
         */
        public Optional<String> nextLine(Duration limit) {
            if (ended) {
                return Optional.empty();
            }
            try {
                String line = lines.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
                if (line == null) {
                    throw new AssertionError("no stdout line within " + limit + " from " + description + "; lines so far: "
                            + seen + "; stderr so far: " + stderr.getNow("(still open)"));
                }
                if (line == END) {
                    ended = true;
                    return Optional.empty();
                }
                seen.add(line);
                return Optional.of(line);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while reading " + description, e);
            }
        }

        /**
         * Reads stdout lines until one matches, skipping the others.
         *
         * @param match what the line must satisfy
         * @param limit how long to wait in total
         * @return the first matching line
         * @throws AssertionError if none came in time or stdout ended first
         */
        public String awaitLine(Predicate<String> match, Duration limit) {
            long deadline = System.nanoTime() + limit.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching stdout line within " + limit + " from " + description
                            + "; lines so far: " + seen);
                }
                Optional<String> line = nextLine(Duration.ofNanos(left));
                if (line.isEmpty()) {
                    throw new AssertionError("stdout of " + description + " ended without a matching line; lines: " + seen);
                }
                if (match.test(line.get())) {
                    return line.get();
                }
            }
        }

        /** @return every stdout line read so far, in order */
        public List<String> linesSoFar() {
            return List.copyOf(seen);
        }

        /**
         * Writes text to stdin (UTF-8) and flushes it.
         *
         * @param text the text, with its own line terminators
         */
        public void write(String text) {
            try {
                OutputStream in = process.getOutputStream();
                in.write(text.getBytes(StandardCharsets.UTF_8));
                in.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write to stdin of " + description, e);
            }
        }

        /** Closes stdin (end of input for the process). */
        public void closeStdin() {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close stdin of " + description, e);
            }
        }

        /**
         * Waits for the process to exit.
         *
         * @param limit how long to wait
         * @return its exit status
         * @throws AssertionError if it is still running after the time-out
         */
        public int waitFor(Duration limit) {
            try {
                if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError(description + " still running after " + limit + "; lines: " + seen);
                }
                return process.exitValue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + description, e);
            }
        }

        /**
         * Returns everything the process wrote to stderr; waits for stderr to close.
         *
         * @param limit how long to wait for stderr to close
         * @return the stderr text
         */
        public String stderr(Duration limit) {
            try {
                return stderr.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while reading stderr of " + description, e);
            } catch (ExecutionException | TimeoutException e) {
                throw new AssertionError("stderr of " + description + " did not close within " + limit, e);
            }
        }

        /** Kills the process (and its descendants) if it is still alive, and waits for it. */
        @Override
        public void close() {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Reads a stream to its end on a thread of its own (never the common pool, which may have one thread). */
    private static CompletableFuture<String> readAll(InputStream stream) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (InputStream in = stream) {
                text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.completeExceptionally(e);
            }
        }, "process output reader");
        reader.setDaemon(true);
        reader.start();
        return text;
    }
}
