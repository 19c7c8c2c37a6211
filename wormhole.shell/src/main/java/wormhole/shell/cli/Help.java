package wormhole.shell.cli;

/** The text of {@code agent-wormhole --help}, made from the command declarations. */
public final class Help {
    private Help() {
    }

    public static String text() {
        StringBuilder b = new StringBuilder("""
                agent-wormhole: hand text, files and secrets between two agent sessions, end-to-end encrypted.

                Usage:
                """);
        int width = Commands.ALL.stream().mapToInt(c -> c.usage().length()).max().orElse(0);
        for (CommandSpec c : Commands.ALL) {
            b.append(String.format("  %-" + width + "s  %s%n", c.usage(), c.summary()));
        }
        b.append("""
                  agent-wormhole --version
                  agent-wormhole <command> --help

                host and connect print one JSON object per line on stdout and run until the channel ends;
                send, close and status print one JSON line per result. Diagnostics go to stderr.

                Exit status:
                """);
        for (ExitCode e : ExitCode.values()) {
            b.append(String.format("  %-3d %s%n", e.status(), e.meaning()));
        }
        return b.toString();
    }

    private static String left(CommandSpec.Option o) {
        return o.name() + (o.takesValue() ? " " + o.argument() : "");
    }

    public static String text(CommandSpec spec) {
        StringBuilder b = new StringBuilder("Usage: ").append(spec.usage()).append("\n\n").append(spec.summary()).append("\n");
        if (!spec.options().isEmpty()) {
            b.append("\nOptions:\n");
            int width = spec.options().stream().mapToInt(o -> left(o).length()).max().orElse(0);
            for (CommandSpec.Option o : spec.options()) {
                b.append(String.format("  %-" + width + "s  %s%n", left(o), o.help()));
            }
        }
        return b.toString();
    }
}
