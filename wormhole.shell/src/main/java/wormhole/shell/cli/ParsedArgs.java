package wormhole.shell.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A command line parsed against a {@link CommandSpec}. */
public final class ParsedArgs {
    private final CommandSpec spec;
    private final Map<String, String> values;
    private final List<String> positionals;

    private ParsedArgs(CommandSpec spec, Map<String, String> values, List<String> positionals) {
        this.spec = spec;
        this.values = values;
        this.positionals = positionals;
    }

    /**
     * Parses {@code args} (without the sub-command). Options may come anywhere; {@code --} ends them;
     * {@code --name=value} and {@code --name value} are both accepted.
     */
    public static ParsedArgs parse(CommandSpec spec, List<String> args) throws UsageException {
        Map<String, String> values = new HashMap<>();
        List<String> positionals = new ArrayList<>();
        boolean optionsDone = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!optionsDone && a.equals("--")) {
                optionsDone = true;
            } else if (!optionsDone && a.startsWith("--")) {
                int eq = a.indexOf('=');
                String name = eq < 0 ? a : a.substring(0, eq);
                CommandSpec.Option o = spec.option(name).orElseThrow(() -> new UsageException(
                        "unknown option " + name + " for '" + spec.name() + "'; usage: " + spec.usage()));
                if (o.takesValue()) {
                    String v;
                    if (eq >= 0) {
                        v = a.substring(eq + 1);
                    } else if (i + 1 < args.size()) {
                        v = args.get(++i);
                    } else {
                        throw new UsageException(name + " needs a value (" + o.argument() + ")");
                    }
                    values.put(name, v);
                } else {
                    if (eq >= 0) {
                        throw new UsageException(name + " takes no value");
                    }
                    values.put(name, "");
                }
            } else {
                positionals.add(a);
            }
        }
        boolean rest = !spec.positionals().isEmpty() && spec.positionals().get(spec.positionals().size() - 1).endsWith("...");
        if (positionals.size() < spec.minimum()) {
            throw new UsageException("missing <" + spec.positionals().get(positionals.size()) + ">; usage: " + spec.usage());
        }
        if (!rest && positionals.size() > spec.positionals().size()) {
            throw new UsageException("too many arguments for '" + spec.name() + "'; usage: " + spec.usage());
        }
        return new ParsedArgs(spec, values, positionals);
    }

    public boolean has(String option) {
        return values.containsKey(option);
    }

    public Optional<String> value(String option) {
        return Optional.ofNullable(values.get(option));
    }

    public List<String> positionals() {
        return positionals;
    }

    public Optional<String> positional(int index) {
        return index < positionals.size() ? Optional.of(positionals.get(index)) : Optional.empty();
    }

    public int intValue(String option, int fallback, int min, int max) throws UsageException {
        Optional<String> v = value(option);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.get());
            if (n < min || n > max) {
                throw new UsageException(option + " must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " must be a whole number");
        }
    }

    public CommandSpec spec() {
        return spec;
    }
}
