package wormhole.api.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * The sending side of a stream: bytes written here are cut into chunks of {@link #CHUNK_SIZE} (one
 * reused buffer, so memory stays constant), counted, hashed unless both ends skip the hash, and handed to a {@link Sink} one chunk
 * frame at a time.
 */
final class ChunkWriter extends OutputStream {
    /** Data bytes per chunk; the JDK's AES-GCM is at its fastest around this size. */
    static final int CHUNK_SIZE = 64 * 1024;

    /** Seals and sends one chunk frame's plaintext. */
    @FunctionalInterface
    interface Sink {
        /**
         * @param plaintext the buffer; the frame is its first {@code length} bytes
         * @param length    the frame's length
         * @throws IOException when sending failed
         */
        void send(byte[] plaintext, int length) throws IOException;
    }

    private final Sink sink;
    private final byte[] buffer = new byte[MessageCodec.CHUNK_HEADER + CHUNK_SIZE];
    private final StreamDigest sha;
    private int filled;
    private long count;

    /**
     * @param id     the stream id every chunk carries
     * @param hashed whether to compute the SHA-256 (see {@link StreamDigest})
     * @param sink   where full chunks go
     */
    ChunkWriter(long id, boolean hashed, Sink sink) {
        this.sink = sink;
        this.sha = StreamDigest.of(hashed);
        MessageCodec.chunkHeader(buffer, id);
    }

    @Override
    public void write(int b) throws IOException {
        buffer[MessageCodec.CHUNK_HEADER + filled] = (byte) b;
        sha.update(buffer, MessageCodec.CHUNK_HEADER + filled, 1);
        filled++;
        count++;
        if (filled == CHUNK_SIZE) {
            flushChunk();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, CHUNK_SIZE - filled);
            System.arraycopy(b, off, buffer, MessageCodec.CHUNK_HEADER + filled, n);
            sha.update(b, off, n);
            filled += n;
            count += n;
            off += n;
            len -= n;
            if (filled == CHUNK_SIZE) {
                flushChunk();
            }
        }
    }

    /**
     * Reads {@code in} to its end, or {@code limit} bytes, straight into the chunk buffer.
     *
     * @param in    the input
     * @param limit the most bytes to read
     * @throws IOException when reading or sending fails
     */
    void drain(InputStream in, long limit) throws IOException {
        long left = limit;
        while (left > 0) {
            int n = in.read(buffer, MessageCodec.CHUNK_HEADER + filled, (int) Math.min(CHUNK_SIZE - filled, left));
            if (n < 0) {
                return;
            }
            sha.update(buffer, MessageCodec.CHUNK_HEADER + filled, n);
            filled += n;
            count += n;
            left -= n;
            if (filled == CHUNK_SIZE) {
                flushChunk();
            }
        }
    }

    /** Does nothing: a chunk goes when full or at {@link #finish}, so a flush mid-stream cannot cut a short one. */
    @Override
    public void flush() {
    }

    /**
     * Sends what is buffered; the stream's last chunk may be short.
     *
     * @throws IOException when sending fails
     */
    void finish() throws IOException {
        if (filled > 0) {
            flushChunk();
        }
    }

    private void flushChunk() throws IOException {
        sink.send(buffer, MessageCodec.CHUNK_HEADER + filled);
        filled = 0;
    }

    /** @return the bytes written so far */
    long count() {
        return count;
    }

    /** @return the SHA-256 of everything written, lowercase hex, when hashed; call once, after {@link #finish} */
    Optional<String> sha256() {
        return sha.finish();
    }
}
