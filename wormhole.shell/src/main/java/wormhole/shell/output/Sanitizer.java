package wormhole.shell.output;

import java.util.ArrayList;
import java.util.List;

/**
 * Makes text safe to show on a terminal, whoever wrote it (a peer, a relay, an exception): control
 * characters (ESC, CR, BEL, C1 codes...) and invisible format characters (bidirectional overrides,
 * zero-width marks) are shown as
 * {@code \x1b} or {@code \u202e} escapes, so a peer cannot move the cursor, recolour the screen,
 * rewrite what is shown or disguise one text as another. Newlines split the text into lines; a tab
 * stays a tab.
 */
public final class Sanitizer {
    private Sanitizer() {
    }

    /** @return the text as lines, each free of control and format characters */
    public static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\r\n|\n", -1)) {
            lines.add(inline(line));
        }
        if (lines.size() > 1 && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    /** @return the text on one line: every control character, newlines included, escaped */
    public static String inline(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp == '\t') {
                b.append('\t');
            } else if (unsafe(cp)) {
                b.append(cp <= 0xff ? String.format("\\x%02x", cp) : String.format("\\u%04x", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }

    /**
     * @param cp a code point
     * @return whether a terminal could act on it or hide it: a control (C0, DEL, C1), a format
     *         character (Unicode category Cf), a line or paragraph separator, or a lone surrogate
     */
    public static boolean unsafe(int cp) {
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }
}
