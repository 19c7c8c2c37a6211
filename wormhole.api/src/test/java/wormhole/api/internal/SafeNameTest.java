package wormhole.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SafeNameTest {

    @ParameterizedTest
    @CsvSource({
        "../../etc/passwd, passwd",
        "a/b, b",
        "'..\\..\\x', x",
        ".bashrc, bashrc",
        "/absolute/path.txt, path.txt",
        "C:\\Users\\me\\notes.md, notes.md",
        "config.json, config.json",
        "...hidden, hidden",
        "dir/, file",
        "'  spaced name.txt  ', spaced name.txt",
    })
    void reducesToABaseName(String sent, String safe) {
        assertEquals(safe, SafeName.of(sent));
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "", "   ", "\u0000", "\u0001\u0007\u001b\u007f\u0085", "../..", "\u202e\u200b"})
    void nothingLeftBecomesFile(String sent) {
        assertEquals("file", SafeName.of(sent));
    }

    @Test
    void controlCharactersAreRemoved() {
        assertEquals("ab[31mc.txt", SafeName.of("a\nb\u001b[31mc\r.txt"));
        assertEquals("abc", SafeName.of("a\u0000b\tc"));
    }

    @Test
    void bidiAndFormatCharactersAreRemoved() {
        // U+202E would show "invoice_gpj.exe" as "invoice_exe.jpg".
        assertEquals("invoice_gpj.exe", SafeName.of("invoice_\u202egpj.exe"));
        assertEquals("ab.txt", SafeName.of("a\u200bb\u2066\u2069\ufeff.txt"));
        assertEquals("x.txt", SafeName.of("x\ud800.txt"), "a lone surrogate is dropped");
    }

    @Test
    void longNamesAreTruncatedKeepingTheExtension() {
        String safe = SafeName.of("a".repeat(500) + ".tar.gz");
        assertEquals(SafeName.MAX_BYTES, safe.length(), "ASCII: one byte a character");
        assertTrue(safe.endsWith(".gz"), safe);
        assertTrue(safe.startsWith("aaaa"));
    }

    @Test
    void longMultiByteNamesFitTheFileSystemLimit() {
        // Linux and macOS take at most 255 bytes per name; a numbered copy adds a few more.
        for (String unit : new String[] {"é", "€", "😀"}) {
            String safe = SafeName.of(unit.repeat(200) + ".txt");
            int bytes = safe.getBytes(StandardCharsets.UTF_8).length;
            assertTrue(bytes <= 240, unit + " x 200 became " + bytes + " bytes");
            assertTrue(safe.endsWith(".txt"), safe);
            assertFalse(safe.contains("\ufffd"), "no character is cut in half");
        }
    }

    @Test
    void numberedPutsTheNumberBeforeTheExtension() {
        assertEquals("report-1.pdf", SafeName.numbered("report.pdf", 1));
        assertEquals("archive.tar-2.gz", SafeName.numbered("archive.tar.gz", 2));
        assertEquals("README-3", SafeName.numbered("README", 3));
        assertEquals("file-12", SafeName.numbered("file", 12));
    }
}
