package wormhole.api.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import wormhole.api.ChannelEvent;

/**
 * One stream being received: its chunks go to a 0600 temporary file in the inbox while they are
 * counted and (unless both ends skip it, see {@link StreamDigest}) hashed, so memory stays constant
 * whatever the size. Nothing is published until {@link #verify} has matched the sender's size and
 * SHA-256, and the file is on disk; {@link #discard} removes every trace.
 */
final class IncomingStream {
    /** Progress is reported at most this often, and never in an item's first second. */
    static final long PROGRESS_NANOS = 1_000_000_000L;

    private final Message.StreamStart start;
    private final String safeName;
    private final Path temp;
    private final FileChannel out;
    private final WriteBehind writeBehind;
    private final StreamDigest sha;
    private final long startNanos;
    private long received;
    private long lastProgressNanos;

    private IncomingStream(Message.StreamStart start, Path temp, FileChannel out, boolean hashed, long nowNanos) {
        this.start = start;
        this.safeName = SafeName.of(start.name());
        this.temp = temp;
        this.out = out;
        this.writeBehind = new WriteBehind(out);
        this.sha = StreamDigest.of(hashed);
        this.startNanos = nowNanos;
        this.lastProgressNanos = nowNanos;
    }

    /**
     * Opens a temporary file for a stream that starts.
     *
     * @param inbox    where the file goes
     * @param start    the stream message
     * @param hashed   whether the sender hashes the stream (see {@link StreamDigest})
     * @param nowNanos the clock, for progress
     * @return the open stream
     * @throws IOException when the disk refuses
     */
    static IncomingStream open(SaveFolder inbox, Message.StreamStart start, boolean hashed, long nowNanos)
            throws IOException {
        Path temp = inbox.newTempFile();
        try {
            return new IncomingStream(start, temp, FileChannel.open(temp, StandardOpenOption.WRITE), hashed, nowNanos);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    long id() {
        return start.id();
    }

    StreamKind kind() {
        return start.kind();
    }

    String safeName() {
        return safeName;
    }

    Path temp() {
        return temp;
    }

    long received() {
        return received;
    }

    /**
     * Appends one chunk's data.
     *
     * @throws StreamMismatchException when it runs past the announced size
     * @throws IOException             when the disk refuses
     */
    void write(byte[] data, int offset, int length) throws IOException, StreamMismatchException {
        if (start.size() >= 0 && received + length > start.size()) {
            throw new StreamMismatchException("the stream " + safeName + " ran past its announced "
                    + start.size() + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.wrap(data, offset, length);
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
        sha.update(data, offset, length);
        received += length;
        writeBehind.wrote(length);
    }

    /**
     * @param nowNanos the clock
     * @return a progress event when one is due
     */
    Optional<ChannelEvent.Progress> progress(long nowNanos) {
        if (nowNanos - startNanos < PROGRESS_NANOS || nowNanos - lastProgressNanos < PROGRESS_NANOS) {
            return Optional.empty();
        }
        lastProgressNanos = nowNanos;
        return Optional.of(new ChannelEvent.Progress(safeName, received, start.size()));
    }

    /**
     * Closes the file and checks it against the sender's end message.
     *
     * @throws StreamMismatchException when the size or the SHA-256 differ
     * @throws IOException             when the disk refuses
     */
    void verify(Message.StreamEnd end) throws IOException, StreamMismatchException {
        writeBehind.finish();
        out.close();
        if (end.size() != received || (start.size() >= 0 && start.size() != received)) {
            throw new StreamMismatchException("the stream " + safeName + " brought " + received
                    + " bytes, but its sender counted " + end.size()
                    + (start.size() >= 0 ? " and announced " + start.size() : ""));
        }
        if (!sha.matches(end.sha256())) {
            throw new StreamMismatchException("the stream " + safeName + (end.sha256().isEmpty()
                    ? " ended without the SHA-256 its sender owes" : " arrived with another SHA-256 than its sender's"));
        }
    }

    /** Closes and deletes the temporary file; never throws. */
    void discard() {
        try {
            out.close();
        } catch (IOException e) {
            // deleting is what matters
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // the channel folder is deleted when the channel ends
        }
    }
}
