package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large file arriving at the interactive shell shows a progress bar, then the file line. The relay
 * runs at 100 MiB a minute, of which the sending client allows itself 45 %: a 45 MiB burst, then
 * 0.75 MiB/s. A 47 MiB file therefore takes at least two and a half seconds whatever the machine's
 * speed, and progress shows after the first second.
 */
@Timeout(120)
class ShellProgressIT {
    private static final Duration LINE = Duration.ofSeconds(30);
    private static final Pattern CODE = Pattern.compile("^\\[1\\] \\* hosting through the relay; code (\\S+)$");
    private static final Pattern BAR = Pattern.compile("^\\[1\\] receiving big\\.bin \\[[#.]{20}\\] \\d{1,3}% \\d+/49 MB$");

    @TempDir
    Path tmp;

    @Test
    void aLargeFileShowsAProgressBarBeforeItsFileLine() throws IOException {
        Image image = Image.locate();
        Path shellRt = Files.createDirectories(tmp.resolve("shell-rt"));
        Path peerRt = Files.createDirectories(tmp.resolve("peer-rt"));
        Path big = tmp.resolve("big.bin");
        try (OutputStream out = Files.newOutputStream(big)) {
            byte[] block = new byte[1 << 20];
            for (int i = 0; i < 47; i++) {
                block[0] = (byte) i;
                out.write(block);
            }
        }
        try (RelayProcess relay = RelayProcess.start(image, "--mib-per-minute", "100", "--frames-per-minute", "100000");
                Image.Running shell = image.command("shell").env("XDG_RUNTIME_DIR", shellRt.toString()).start()) {
            shell.write("host --relay " + relay.url() + "\n");
            Matcher m = CODE.matcher(shell.awaitLine(l -> CODE.matcher(l).matches(), LINE));
            assertTrue(m.matches());
            // --no-upgrade: the bar needs the relay's pace; two ends on one machine would otherwise go direct.
            try (Image.Running peer = image.command("connect", m.group(1), "--relay", relay.url(), "--no-upgrade")
                    .env("XDG_RUNTIME_DIR", peerRt.toString()).start()) {
                peer.awaitLine(Json.status("connected"), LINE);
                Image.Result sent = image.command("send", m.group(1), "--file", big.toString())
                        .env("XDG_RUNTIME_DIR", peerRt.toString()).timeout(Duration.ofSeconds(60)).run();
                assertEquals(0, sent.exitCode(), sent::toString);
                String fileLine = shell.awaitLine(l -> l.startsWith("[1] from peer: file big.bin "), LINE);
                assertTrue(fileLine.contains("(49283072 bytes)"), fileLine);
                assertTrue(shell.linesSoFar().stream().anyMatch(l -> BAR.matcher(l).matches()),
                        () -> "no progress bar among " + shell.linesSoFar());
            }
            shell.write("exit\n");
            assertEquals(0, shell.waitFor(LINE));
        }
    }
}
