package wormhole.shell.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one JSON configuration of this tool: every JSON line it writes (on stdout, to an MCP client, on
 * a control socket, in a state file) comes from a mapper or a factory made here. Jackson escapes only C0 controls;
 * these lines carry text from a peer or a relay and are read on terminals, so DEL, the C1 controls
 * (U+009B is a CSI), format characters (bidirectional overrides, zero-width marks, BOM, tags) and the
 * line and paragraph separators are written as {@code \}{@code uXXXX} as well. A JSON parser reads
 * back exactly the text that was written.
 */
public final class JsonLines {
    private JsonLines() {
    }

    /** @return a new mapper whose writers escape every character a terminal could act on */
    public static ObjectMapper mapper() {
        return new ObjectMapper(factory());
    }

    /** @return a new streaming factory whose generators escape every character a terminal could act on */
    static JsonFactory factory() {
        return new JsonFactoryBuilder().characterEscapes(new TerminalSafeEscapes()).build();
    }

    /**
     * Jackson asks for the escape of each UTF-16 unit above ASCII on its own, so a character outside
     * the basic plane cannot be judged whole: every surrogate is escaped, which keeps the invisible
     * tag characters (U+E0000..U+E007F) out of the line at the cost of writing emoji as escapes.
     */
    private static final class TerminalSafeEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;

        private final int[] ascii;

        TerminalSafeEscapes() {
            ascii = standardAsciiEscapesForJSON();
            ascii[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (Character.isSurrogate((char) ch) || Sanitizer.unsafe(ch)) {
                return new SerializedString(String.format("\\u%04X", ch));
            }
            return null;
        }
    }
}
