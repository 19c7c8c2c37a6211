package wormhole.shell.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** JSON lines carry a peer's text to terminals: nothing a terminal could act on is written raw. */
class JsonLinesTest {
    /** CSI, ESC, DEL, a right-to-left override, a line separator, a zero-width space, a BOM, a tag character. */
    static final String HOSTILE = "a\u009b31mb\u001b[2Jc\u007fd\u202ee\u2028f\u2029g\u200bh\ufeffi\udb40\udc41j\u0085k";

    private final ObjectMapper json = JsonLines.mapper();

    private String lineOf(String body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        JsonOut out = new JsonOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        out.line(out.object("text").put("body", body));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyControlFormatAndSeparatorCharacterIsEscapedAndReadsBackExactly() throws IOException {
        String line = lineOf(HOSTILE);
        assertTrue(line.endsWith("\n"));
        String text = line.substring(0, line.length() - 1);
        assertTrue(text.chars().allMatch(c -> c >= 0x20 && c < 0x7f), text);
        assertTrue(text.contains("\\u009B31m") && text.contains("\\u001B[2J") && text.contains("\\u007F")
                && text.contains("\\u202E") && text.contains("\\u2028") && text.contains("\\uDB40\\uDC41"), text);
        assertEquals(HOSTILE, json.readTree(text).path("body").asText());
    }

    @Test
    void ordinaryTextStaysReadable() throws IOException {
        String body = "héllo wörld, 你好, tab\there";
        String line = lineOf(body);
        assertTrue(line.contains("héllo wörld, 你好"), line);
        assertEquals(body, json.readTree(line).path("body").asText());
    }

    @Test
    void bytesWritersEscapeTheSame() throws IOException {
        String bytes = new String(json.writeValueAsBytes(json.createObjectNode().put("body", HOSTILE)), StandardCharsets.UTF_8);
        assertFalse(bytes.chars().anyMatch(c -> c < 0x20 || c >= 0x7f), bytes);
        assertEquals(HOSTILE, json.readTree(bytes).path("body").asText());
    }
}
