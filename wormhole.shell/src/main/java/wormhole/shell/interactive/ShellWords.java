package wormhole.shell.interactive;

import java.util.List;
import java.util.regex.Pattern;
import org.jline.reader.EOFError;
import org.jline.reader.SyntaxError;
import org.jline.reader.impl.DefaultParser;

/**
 * How the shell splits a line into words: jline's {@link DefaultParser}, which the line editor uses
 * for completion too. Blanks separate words; {@code '...'} and {@code "..."} and backslashes keep
 * blanks inside a word, as in a POSIX shell without expansions (jline also takes {@code \'} inside
 * single quotes as a quote). One addition: an option written {@code --name=value} splits at its first
 * {@code =}, so a quoted value ({@code --file='my report.pdf'}) loses its quotes as it would as a
 * word of its own; jline alone would keep quotes that open inside a word.
 */
final class ShellWords extends DefaultParser {
    private static final Pattern OPTION_NAME = Pattern.compile("--[A-Za-z0-9][A-Za-z0-9-]*");

    /** A parser for the line editor: an unclosed quote is left for {@link #split} to report, not continued on the next line. */
    ShellWords() {
        setEofOnUnclosedQuote(false);
        setEofOnEscapedNewLine(false);
    }

    /**
     * @param line what was typed
     * @return its words, quotes and escapes removed
     * @throws ShellInputException when a quote is not closed
     */
    static List<String> split(String line) throws ShellInputException {
        if (line.isBlank()) {
            return List.of(); // jline would give one empty word
        }
        ShellWords parser = new ShellWords();
        parser.setEofOnUnclosedQuote(true);
        try {
            return List.copyOf(parser.parse(line, line.length(), ParseContext.ACCEPT_LINE).words());
        } catch (EOFError e) {
            throw new ShellInputException("a quote is not closed");
        } catch (SyntaxError e) {
            throw new ShellInputException("cannot split the line into words: " + e.getMessage());
        }
    }

    /** Blanks, and the first {@code =} of a word that is so far a bare option name. */
    @Override
    public boolean isDelimiterChar(CharSequence buffer, int pos) {
        if (buffer.charAt(pos) == '=') {
            int start = pos;
            while (start > 0 && !Character.isWhitespace(buffer.charAt(start - 1))) {
                start--;
            }
            return OPTION_NAME.matcher(buffer.subSequence(start, pos)).matches();
        }
        return super.isDelimiterChar(buffer, pos);
    }
}
