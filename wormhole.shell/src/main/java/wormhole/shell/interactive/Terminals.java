package wormhole.shell.interactive;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/** The shell's terminal handling: whether a person is at a terminal, and jline there or plain lines elsewhere. */
public final class Terminals {
    private Terminals() {
    }

    /**
     * @param in       standard input
     * @param out      standard output
     * @param channels the open channels' numbers, for completion
     * @return jline's line editor when both streams are the process's terminal, else plain lines
     */
    static ShellIo open(InputStream in, PrintStream out, Supplier<List<Integer>> channels) {
        if (in == System.in && out == System.out && onTerminal()) {
            try {
                Terminal terminal = TerminalBuilder.builder()
                        .system(true).name("agent-wormhole").encoding(StandardCharsets.UTF_8).build();
                if (!terminal.getType().startsWith("dumb")) {
                    return new TerminalIo(terminal, channels);
                }
                terminal.close();
            } catch (IOException | RuntimeException e) {
                // no usable terminal: fall back to plain lines
            }
        }
        return new PlainIo(in, out);
    }

    /**
     * Whether standard input and output are both a terminal: {@code System.console()} is null
     * otherwise up to JDK 21; from JDK 22 on, it has to be asked.
     *
     * @return whether a person is (probably) at a terminal
     */
    public static boolean onTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = java.io.Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
