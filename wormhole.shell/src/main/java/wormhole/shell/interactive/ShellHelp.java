package wormhole.shell.interactive;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The text of {@code help} at the prompt. */
final class ShellHelp {
    private ShellHelp() {
    }

    static List<String> lines(Optional<String> historyNote) {
        List<String> lines = new ArrayList<>();
        lines.add("commands:");
        for (ShellSyntax.Entry e : ShellSyntax.ALL) {
            lines.add(String.format("  %-66s %s", e.usage(), e.summary()));
        }
        lines.add("marks: '[n] from peer:' came from the peer of channel n; '[n] sent:' left through it;");
        lines.add("       '[n] *' is news about channel n; 'error:' is a command that failed.");
        lines.add("the prompt shows the channel send goes to: wormhole [n]>");
        lines.add("received files live in the channel's folder until the channel ends; copy what you need first.");
        lines.add("Tab completes commands, options and paths after --file; Ctrl-C cancels the line.");
        lines.add(historyNote.orElse("history: none (input is not a terminal)")
                + "; send lines may hold secrets, so nothing is ever saved to disk");
        return lines;
    }
}
