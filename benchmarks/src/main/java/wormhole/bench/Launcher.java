package wormhole.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The image's {@code bin/agent-wormhole}, run as real processes: short commands ({@code send}) timed
 * to their exit, long ones ({@code host}, {@code connect}, {@code relay}) as {@link ImageProcess}es.
 * Every process gets {@code XDG_CONFIG_HOME} in the scratch folder and no relay URL from the caller's
 * environment, so nothing outside the scratch folder is read or written; the caller's
 * {@code AGENT_WORMHOLE_JAVA_OPTS} reaches every process unless the receiver's options replace it.
 */
final class Launcher {
    private final Path launcher;
    private final Path scratch;

    /**
     * @param image   the runtime image's folder
     * @param scratch the benchmark's temporary folder (logs and config go there)
     */
    Launcher(Path image, Path scratch) throws BenchmarkException {
        this.launcher = image.resolve("bin").resolve("agent-wormhole").toAbsolutePath();
        this.scratch = scratch;
        if (!Files.isExecutable(launcher)) {
            throw new BenchmarkException("no launcher at " + launcher + "; build the image first: "
                    + "mvn -q -o install -Dmaven.test.skip=true -pl image -am");
        }
    }

    /**
     * Starts a long-running command.
     *
     * @param name    a label (its stderr goes to {@code NAME.log} in the scratch folder)
     * @param runtime its {@code XDG_RUNTIME_DIR}, or null for none
     * @param javaOpts its {@code AGENT_WORMHOLE_JAVA_OPTS}, or null for the caller's
     * @param args    the command's arguments
     */
    ImageProcess start(String name, Path runtime, String javaOpts, String... args) throws IOException {
        return ImageProcess.start(name, command(args), env(runtime, javaOpts), scratch);
    }

    /**
     * Runs a short command to its end and checks that it exits 0.
     *
     * @param runtime       its {@code XDG_RUNTIME_DIR}
     * @param timeoutMillis how long it may take
     * @param args          the command's arguments
     * @return its wall time in nanoseconds, from just before the start to its exit
     * @throws BenchmarkException when it fails or times out (it is killed then)
     */
    long run(Path runtime, long timeoutMillis, String... args) throws IOException, InterruptedException, BenchmarkException {
        Path log = scratch.resolve("send.log");
        ProcessBuilder b = new ProcessBuilder(command(args))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(log.toFile());
        apply(b.environment(), env(runtime, null));
        long start = System.nanoTime();
        Process p = b.start();
        if (!p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            throw new BenchmarkException(args[0] + " did not end within " + timeoutMillis + " ms" + tail(log));
        }
        long wall = System.nanoTime() - start;
        if (p.exitValue() != 0) {
            throw new BenchmarkException(args[0] + " exited " + p.exitValue() + tail(log));
        }
        return wall;
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        return command;
    }

    private Map<String, String> env(Path runtime, String javaOpts) {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("XDG_CONFIG_HOME", scratch.resolve("config").toString());
        env.put("AGENT_WORMHOLE_RELAY_URL", null);
        if (javaOpts != null) {
            env.put("AGENT_WORMHOLE_JAVA_OPTS", javaOpts);
        }
        if (runtime != null) {
            env.put("XDG_RUNTIME_DIR", runtime.toString());
        }
        return env;
    }

    /** Sets each variable, or removes it where the value is null. */
    static void apply(Map<String, String> target, Map<String, String> changes) {
        changes.forEach((k, v) -> {
            if (v == null) {
                target.remove(k);
            } else {
                target.put(k, v);
            }
        });
    }

    /** @return the last lines of a log file, as a suffix for a message (empty when there are none) */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            if (lines.isEmpty()) {
                return "";
            }
            return "; its stderr ends:\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }
}
