package wormhole.shell.cli;

import java.util.List;
import java.util.Optional;

/**
 * The declared shape of one sub-command: its name, positional arguments and options. The parser, the
 * help text and the test that checks the skill's examples all read these declarations.
 *
 * @param name        the sub-command
 * @param positionals names of the positional arguments, in order; a trailing {@code ...} name takes the rest
 * @param minimum     how many positionals are required
 * @param options     the options it accepts
 * @param summary     one line for {@code --help}
 */
public record CommandSpec(String name, List<String> positionals, int minimum, List<Option> options, String summary) {
    /**
     * An option.
     *
     * @param name     the long form, with its dashes
     * @param argument the name of its value, or empty for a flag
     * @param help     one line for {@code --help}
     */
    public record Option(String name, String argument, String help) {
        /** @return whether it takes a value */
        public boolean takesValue() {
            return !argument.isEmpty();
        }
    }

    /** Copies the lists. */
    public CommandSpec {
        positionals = List.copyOf(positionals);
        options = List.copyOf(options);
    }

    /**
     * @param optionName an option as typed
     * @return its declaration
     */
    public Optional<Option> option(String optionName) {
        return options.stream().filter(o -> o.name().equals(optionName)).findFirst();
    }

    /** @return the usage line */
    public String usage() {
        StringBuilder b = new StringBuilder("agent-wormhole ").append(name);
        for (int i = 0; i < positionals.size(); i++) {
            b.append(i < minimum ? " <" + positionals.get(i) + ">" : " [" + positionals.get(i) + "]");
        }
        if (!options.isEmpty()) {
            b.append(" [options]");
        }
        return b.toString();
    }
}
