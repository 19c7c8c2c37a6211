package wormhole.shell.interactive;

import java.util.List;
import java.util.Optional;

/**
 * The shell's commands and their options: one table that the parser, the tab completion and
 * {@code help} all read.
 */
final class ShellSyntax {
    /** One command of the shell. */
    record Entry(String name, String usage, String summary, List<String> options) {
        Entry {
            options = List.copyOf(options);
        }
    }

    /** Options that take a value (the others are flags). */
    static final List<String> VALUED = List.of("--port", "--bind", "--relay", "--words", "--file", "--name");

    static final List<Entry> ALL = List.of(
            new Entry("host", "host [--direct [--port N] [--bind ADDR]] [--relay URL] [--words N | --v1-code]",
                    "open a new channel and show its code (--v1-code: a Python 0.1.x code; the relay sees it whole)",
                    List.of("--direct", "--port", "--bind", "--relay", "--words", "--v1-code")),
            new Entry("connect", "connect <code>[@host] [--relay URL]",
                    "join a channel: code@host for a direct host, the code alone through the relay", List.of("--relay")),
            new Entry("send", "send <text> | send --file <path> [--name NAME]",
                    "send text (the rest of the line) or a file through the current channel", List.of("--file", "--name")),
            new Entry("use", "use <n>", "make channel n the current one (the prompt shows it)", List.of()),
            new Entry("status", "status", "list the open channels", List.of()),
            new Entry("verify", "verify", "show the current channel's verifier, to compare with the peer", List.of()),
            new Entry("close", "close [n]", "close the current channel (or channel n); its files are deleted", List.of()),
            new Entry("help", "help", "show this help", List.of()),
            new Entry("exit", "exit", "close every channel and leave (also Ctrl-D)", List.of()));

    private ShellSyntax() {
    }

    static Optional<Entry> find(String name) {
        return ALL.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    static List<String> names() {
        return ALL.stream().map(Entry::name).toList();
    }
}
