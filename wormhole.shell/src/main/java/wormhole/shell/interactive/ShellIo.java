package wormhole.shell.interactive;

import java.util.Optional;
import wormhole.shell.output.Sanitizer;

/**
 * The shell's two ends: lines typed in, lines shown out. Showing is safe from any thread and never
 * breaks the line being typed.
 */
interface ShellIo extends AutoCloseable {
    /** What reading a line gave. */
    sealed interface Input {
        /** A line, without its terminator. */
        record Line(String text) implements Input {
        }

        /** The line was cancelled (Ctrl-C). */
        record Cancelled() implements Input {
        }

        /** End of input (Ctrl-D, or the end of piped input). */
        record End() implements Input {
        }
    }

    /**
     * Reads one line.
     *
     * @param prompt the prompt to show, where there is a terminal
     * @return the line, a cancellation or the end of input
     */
    Input read(String prompt);

    /**
     * Shows one line above the line being typed. Whoever made the text (a peer, a relay, an
     * exception), every control, format and separator character in it is shown escaped
     * ({@link Sanitizer#inline}), so nothing printed can drive the terminal.
     *
     * @param line the line
     */
    void show(String line);

    /** @return where the history of typed lines lives, for {@code help} */
    Optional<String> historyNote();

    @Override
    void close();
}
