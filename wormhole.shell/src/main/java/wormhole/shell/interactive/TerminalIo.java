package wormhole.shell.interactive;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import wormhole.shell.output.Sanitizer;

/**
 * On a terminal: jline's line editor with completion and an in-memory history (never written to
 * disk, since a typed line may hold a secret), and asynchronous lines printed above the prompt so
 * the line being typed stays intact.
 */
final class TerminalIo implements ShellIo {
    private final Terminal terminal;
    private final LineReader reader;

    TerminalIo(Terminal terminal, Supplier<List<Integer>> channels) {
        this.terminal = terminal;
        this.reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("agent-wormhole")
                .parser(new ShellWords())
                .completer(new ShellCompleter(channels))
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
                .option(LineReader.Option.BRACKETED_PASTE, true)
                .build();
    }

    @Override
    public Input read(String prompt) {
        try {
            return new Input.Line(reader.readLine(prompt));
        } catch (UserInterruptException e) {
            return new Input.Cancelled();
        } catch (EndOfFileException e) {
            return new Input.End();
        }
    }

    @Override
    public void show(String line) {
        reader.printAbove(Sanitizer.inline(line));
    }

    @Override
    public Optional<String> historyNote() {
        return Optional.of("history: kept in memory for this session only, never written to a file");
    }

    @Override
    public void close() {
        try {
            terminal.close();
        } catch (IOException e) {
            // nothing left to restore
        }
    }
}
