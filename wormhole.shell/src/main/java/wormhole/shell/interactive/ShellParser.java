package wormhole.shell.interactive;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import wormhole.api.ChannelCode;
import wormhole.shell.output.Sanitizer;

/**
 * Turns a typed line into a {@link ShellCommand}. Words are split by {@link ShellWords}: on blanks,
 * with quotes ({@code '...'}, {@code "..."}) and backslashes keeping blanks inside a word, so paths
 * with spaces work. The text of
 * {@code send} is the rest of the line exactly as typed, quotes and all.
 */
final class ShellParser {
    private ShellParser() {
    }

    static ShellCommand parse(String line) throws ShellInputException {
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
            return new ShellCommand.Nothing();
        }
        int space = firstBlank(trimmed);
        String name = space < 0 ? trimmed : trimmed.substring(0, space);
        String rest = space < 0 ? "" : trimmed.substring(space + 1);
        if (name.equals("send")) {
            return send(rest);
        }
        List<String> words = words(rest);
        return switch (name) {
            case "host" -> host(words);
            case "connect" -> connect(words);
            case "use" -> new ShellCommand.Use(channelNumber(single("use", words, true).orElseThrow()));
            case "close" -> {
                Optional<String> n = single("close", words, false);
                yield new ShellCommand.Close(n.isEmpty() ? Optional.empty() : Optional.of(channelNumber(n.get())));
            }
            case "status" -> none(words, "status", new ShellCommand.Status());
            case "verify" -> none(words, "verify", new ShellCommand.Verify());
            case "help", "?" -> new ShellCommand.Help();
            case "exit", "quit" -> none(words, name, new ShellCommand.Exit());
            default -> throw new ShellInputException("unknown command '" + Sanitizer.inline(name) + "'; type help for the list");
        };
    }

    private static ShellCommand send(String rest) throws ShellInputException {
        String r = rest.stripLeading();
        if (r.equals("--file") || r.startsWith("--file ") || r.startsWith("--file=")
                || r.startsWith("--name ") || r.startsWith("--name=")) {
            Map<String, String> options = options("send", words(r), List.of("--file", "--name"), new ArrayList<>(), 0);
            String file = options.get("--file");
            if (file == null) {
                throw new ShellInputException("--name goes with --file; usage: send --file <path> [--name NAME]");
            }
            return new ShellCommand.SendFile(Path.of(expandHome(file)), Optional.ofNullable(options.get("--name")));
        }
        String text = r.startsWith("-- ") ? r.substring(3) : r;
        if (text.isEmpty()) {
            throw new ShellInputException("send what? usage: send <text> | send --file <path>");
        }
        return new ShellCommand.SendText(text);
    }

    private static ShellCommand host(List<String> words) throws ShellInputException {
        Map<String, String> o = options("host", words, ShellSyntax.find("host").orElseThrow().options(), new ArrayList<>(), 0);
        boolean direct = o.containsKey("--direct");
        if (!direct && (o.containsKey("--port") || o.containsKey("--bind"))) {
            throw new ShellInputException("--port and --bind go with --direct");
        }
        if (direct && o.containsKey("--relay")) {
            throw new ShellInputException("--relay does not go with --direct");
        }
        boolean v1Code = o.containsKey("--v1-code");
        if (v1Code && direct) {
            throw new ShellInputException("--v1-code is for relays: a direct code always starts with the port");
        }
        if (v1Code && o.containsKey("--words")) {
            throw new ShellInputException("a --v1-code code has exactly " + ChannelCode.DEFAULT_WORDS + " words");
        }
        int port = number(o, "--port", 0, 0, 65535);
        int wordCount = number(o, "--words", ChannelCode.DEFAULT_WORDS, 2, 16);
        return new ShellCommand.Host(direct, o.getOrDefault("--bind", "0.0.0.0"), port,
                Optional.ofNullable(o.get("--relay")), wordCount, v1Code);
    }

    private static ShellCommand connect(List<String> words) throws ShellInputException {
        List<String> positionals = new ArrayList<>();
        Map<String, String> o = options("connect", words, List.of("--relay"), positionals, 1);
        if (positionals.isEmpty()) {
            throw new ShellInputException("connect needs the code: connect <code>@<host> (direct) or connect <code> (relay)");
        }
        String typed = positionals.get(0);
        int at = typed.lastIndexOf('@');
        Optional<String> host = at < 0 ? Optional.empty() : Optional.of(typed.substring(at + 1));
        if (host.isPresent() && o.containsKey("--relay")) {
            throw new ShellInputException("--relay does not go with code@host");
        }
        return new ShellCommand.Connect(at < 0 ? typed : typed.substring(0, at), host, Optional.ofNullable(o.get("--relay")));
    }

    /** Reads options of {@code allowed}; other words go to {@code positionals}, at most {@code maxPositionals}. */
    private static Map<String, String> options(String command, List<String> words, List<String> allowed,
            List<String> positionals, int maxPositionals) throws ShellInputException {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.startsWith("--")) {
                int eq = w.indexOf('=');
                String name = eq < 0 ? w : w.substring(0, eq);
                if (!allowed.contains(name)) {
                    throw new ShellInputException("unknown option " + Sanitizer.inline(name) + " for " + command
                            + "; usage: " + ShellSyntax.find(command).orElseThrow().usage());
                }
                if (ShellSyntax.VALUED.contains(name)) {
                    if (eq >= 0) {
                        values.put(name, w.substring(eq + 1));
                    } else if (i + 1 < words.size()) {
                        values.put(name, words.get(++i));
                    } else {
                        throw new ShellInputException(name + " needs a value");
                    }
                } else if (eq >= 0) {
                    throw new ShellInputException(name + " takes no value");
                } else {
                    values.put(name, "");
                }
            } else if (positionals.size() < maxPositionals) {
                positionals.add(w);
            } else {
                throw new ShellInputException("too many words for " + command + "; usage: "
                        + ShellSyntax.find(command).orElseThrow().usage());
            }
        }
        return values;
    }

    private static int number(Map<String, String> o, String name, int fallback, int min, int max) throws ShellInputException {
        String v = o.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ShellInputException(name + " is a whole number from " + min + " to " + max);
    }

    private static Optional<String> single(String command, List<String> words, boolean required) throws ShellInputException {
        if (words.size() > 1 || required && words.isEmpty()) {
            throw new ShellInputException("usage: " + ShellSyntax.find(command).orElseThrow().usage());
        }
        return words.stream().findFirst();
    }

    private static ShellCommand none(List<String> words, String command, ShellCommand result) throws ShellInputException {
        if (!words.isEmpty()) {
            throw new ShellInputException(command + " takes no arguments");
        }
        return result;
    }

    static int channelNumber(String word) throws ShellInputException {
        String w = word.startsWith("#") ? word.substring(1) : word;
        try {
            int n = Integer.parseInt(w);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ShellInputException("a channel is a number, as status lists them");
    }

    private static String expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return System.getProperty("user.home") + path.substring(1);
        }
        return path;
    }

    private static int firstBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Splits into words, as {@link ShellWords} does. */
    static List<String> words(String s) throws ShellInputException {
        return ShellWords.split(s);
    }
}
