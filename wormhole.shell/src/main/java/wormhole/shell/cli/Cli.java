package wormhole.shell.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.Map;
import java.util.function.Supplier;
import wormhole.shell.output.JsonLines;
import wormhole.shell.output.JsonOut;
import wormhole.shell.output.Sanitizer;

/**
 * What every command works with: the process's streams and environment, the JSON writer, a JSON
 * mapper and a random source. Passed in, so tests control them.
 *
 * @param env    the environment variables
 * @param stdin  standard input
 * @param stdout standard output (JSON lines only, through {@link #out})
 * @param stderr standard error (human diagnostics)
 * @param mapper the shared object mapper, made when first asked for ({@link #json()}): building one
 *               costs a short command a third of its time, and those need none ({@link wormhole.shell.output.JsonTrees})
 * @param out    the JSON-lines writer on stdout
 * @param random the random source, made when first asked for: seeding one costs a short command
 *               such as {@code send}, which needs none, a fifth of its time
 */
public record Cli(Map<String, String> env, InputStream stdin, PrintStream stdout, PrintStream stderr,
        Supplier<ObjectMapper> mapper, JsonOut out, Supplier<SecureRandom> random) {

    public static Cli of(Map<String, String> env, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        return new Cli(env, stdin, stdout, stderr, new Lazy<>(JsonLines::mapper), new JsonOut(stdout),
                new Lazy<>(SecureRandom::new));
    }

    /** @return the shared object mapper, made on first use */
    public ObjectMapper json() {
        return mapper.get();
    }

    /** One value, made on first use. */
    private static final class Lazy<T> implements Supplier<T> {
        private final Supplier<T> make;
        private T value;

        Lazy(Supplier<T> make) {
            this.make = make;
        }

        @Override
        public synchronized T get() {
            if (value == null) {
                value = make.get();
            }
            return value;
        }
    }

    /** Reports a usage error: a JSON line, a human line, and the usage exit code. */
    public int usage(String message) {
        out.error("usage", message);
        stderr.println("agent-wormhole: " + Sanitizer.inline(message));
        return ExitCode.USAGE.status();
    }

    /** Reports a failure: a JSON line, a human line, and the given exit code. */
    public int fail(ExitCode code, String kind, String message) {
        out.error(kind, message);
        stderr.println("agent-wormhole: " + Sanitizer.inline(message));
        return code.status();
    }
}
