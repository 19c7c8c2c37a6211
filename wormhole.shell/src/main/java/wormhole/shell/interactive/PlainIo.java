package wormhole.shell.interactive;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import wormhole.shell.output.Sanitizer;

/** Without a terminal: commands are read line by line and every output is one plain line, for scripts and tests. */
final class PlainIo implements ShellIo {
    private final BufferedReader in;
    private final PrintStream out;

    PlainIo(InputStream in, PrintStream out) {
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.out = out;
    }

    @Override
    public Input read(String prompt) {
        try {
            String line = in.readLine();
            return line == null ? new Input.End() : new Input.Line(line);
        } catch (IOException e) {
            return new Input.End();
        }
    }

    @Override
    public synchronized void show(String line) {
        out.println(Sanitizer.inline(line));
        out.flush();
    }

    @Override
    public Optional<String> historyNote() {
        return Optional.empty();
    }

    @Override
    public void close() {
        out.flush();
    }
}
