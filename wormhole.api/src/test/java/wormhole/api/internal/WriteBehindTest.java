package wormhole.api.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file flushed while it is written still ends whole, and a disk that refuses is reported. */
class WriteBehindTest {
    @TempDir
    Path dir;

    @Test
    void aFileWrittenAcrossSeveralFlushesEndsWhole() throws Exception {
        Path file = dir.resolve("big.part");
        MessageDigest written = MessageDigest.getInstance("SHA-256");
        byte[] chunk = new byte[64 * 1024];
        Random random = new Random(5);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            WriteBehind behind = new WriteBehind(out);
            long total = 3 * WriteBehind.STEP_BYTES + 12_345;
            for (long left = total; left > 0; ) {
                int n = (int) Math.min(chunk.length, left);
                random.nextBytes(chunk);
                ByteBuffer b = ByteBuffer.wrap(chunk, 0, n);
                while (b.hasRemaining()) {
                    out.write(b);
                }
                written.update(chunk, 0, n);
                behind.wrote(n);
                left -= n;
            }
            behind.finish();
        }
        MessageDigest read = MessageDigest.getInstance("SHA-256");
        read.update(Files.readAllBytes(file));
        assertArrayEquals(written.digest(), read.digest());
    }

    @Test
    void aFileThatCannotBeForcedFailsToFinish() throws Exception {
        FileChannel out = FileChannel.open(dir.resolve("gone.part"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        WriteBehind behind = new WriteBehind(out);
        behind.wrote(WriteBehind.STEP_BYTES);
        out.close();
        assertThrows(IOException.class, behind::finish);
    }
}
