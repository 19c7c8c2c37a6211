package wormhole.shell.interactive;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/** Tab completion: command names, each command's options, channel numbers, and paths after {@code --file}. */
final class ShellCompleter implements Completer {
    private static final int MAX_PATHS = 500;

    private final Supplier<List<Integer>> channels;

    ShellCompleter(Supplier<List<Integer>> channels) {
        this.channels = channels;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words();
        int index = line.wordIndex();
        if (index == 0) {
            ShellSyntax.names().forEach(n -> candidates.add(new Candidate(n)));
            return;
        }
        String command = words.get(0);
        String previous = words.get(index - 1);
        if (previous.equals("--file")) {
            paths(line.word(), candidates);
            return;
        }
        if (ShellSyntax.VALUED.contains(previous)) {
            return;
        }
        switch (command) {
            case "use", "close" -> {
                if (index == 1) {
                    channels.get().forEach(n -> candidates.add(new Candidate(String.valueOf(n))));
                }
            }
            case "send" -> {
                if (index == 1) {
                    candidates.add(new Candidate("--file"));
                } else if (words.get(1).equals("--file") && !words.contains("--name")) {
                    candidates.add(new Candidate("--name"));
                }
            }
            default -> ShellSyntax.find(command).ifPresent(entry -> entry.options().stream()
                    .filter(o -> !words.subList(1, index).contains(o))
                    .forEach(o -> candidates.add(new Candidate(o))));
        }
    }

    /** Offers the entries of the folder named so far whose names start with what follows the last slash. */
    static void paths(String typed, List<Candidate> candidates) {
        String expanded = typed.equals("~") ? "~/" : typed;
        int slash = expanded.lastIndexOf('/');
        String folderPart = slash < 0 ? "" : expanded.substring(0, slash + 1);
        String prefix = expanded.substring(slash + 1);
        Path folder = folderPart.isEmpty() ? Path.of(".")
                : Path.of(folderPart.startsWith("~/") ? System.getProperty("user.home") + folderPart.substring(1) : folderPart);
        if (!Files.isDirectory(folder)) {
            return;
        }
        int count = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (!name.startsWith(prefix) || name.startsWith(".") && !prefix.startsWith(".")) {
                    continue;
                }
                boolean dir = Files.isDirectory(p);
                candidates.add(new Candidate(folderPart + name + (dir ? "/" : ""), name + (dir ? "/" : ""),
                        null, null, null, null, !dir));
                if (++count >= MAX_PATHS) {
                    return;
                }
            }
        } catch (IOException | SecurityException e) {
            // an unreadable folder offers nothing
        }
    }
}
