package wormhole.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wormhole.api.ChannelEvent;

/** Progress of a stream being received: never in its first second, then at most once a second. */
class IncomingStreamTest {
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path inbox;

    @Test
    void progressComesAtMostOnceASecondAndNeverInTheFirst() throws Exception {
        IncomingStream s = IncomingStream.open(new SaveFolder(inbox, new SecureRandom()),
                new Message.StreamStart(5, "big.bin", 1000, StreamKind.FILE), true, 0);
        s.write(new byte[400], 0, 400);
        assertTrue(s.progress(SECOND / 2).isEmpty(), "not in the first second");
        ChannelEvent.Progress p = s.progress(SECOND).orElseThrow();
        assertEquals(new ChannelEvent.Progress("big.bin", 400, 1000), p);
        assertTrue(s.progress(SECOND + SECOND / 2).isEmpty(), "not twice within a second");
        assertTrue(s.progress(2 * SECOND).isPresent());
        s.discard();
        assertTrue(Files.notExists(s.temp()));
    }
}
