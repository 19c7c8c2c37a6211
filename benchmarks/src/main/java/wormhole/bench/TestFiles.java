package wormhole.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

/** Writes the benchmark's input files quickly: one random 4 MiB block, each copy stamped with its index. */
final class TestFiles {
    private static final int BLOCK = 4 << 20;

    private TestFiles() {
    }

    /**
     * @param file  the file to create (it must not exist)
     * @param bytes its size
     */
    static void write(Path file, long bytes) throws IOException {
        byte[] block = new byte[BLOCK];
        new SplittableRandom(42).nextBytes(block);
        ByteBuffer buffer = ByteBuffer.wrap(block);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long done = 0, index = 0; done < bytes; index++) {
                buffer.clear();
                buffer.putLong(0, index);
                buffer.limit((int) Math.min(BLOCK, bytes - done));
                while (buffer.hasRemaining()) {
                    done += out.write(buffer);
                }
            }
        }
    }
}
