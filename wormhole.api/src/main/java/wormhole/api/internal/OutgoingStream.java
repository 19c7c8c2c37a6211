package wormhole.api.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import wormhole.api.Feature;
import wormhole.api.WormholeException;
import wormhole.api.WormholeException.Failure;

/**
 * Sends one stream (feature {@code stream}): its opening message, chunks of at most
 * {@link ChunkWriter#CHUNK_SIZE} read from a file, a directory's archive or standard input (each
 * frame goes through the connection on its own, so other messages slip in between), and its end
 * with the size and (unless both ends share {@link Feature#UNHASHED_STREAM}) the SHA-256; or an abort when the input fails. Runs on the sending caller's thread.
 */
final class OutgoingStream {
    /** Writes a stream's content into a {@link ChunkWriter}. */
    @FunctionalInterface
    interface Content {
        void writeTo(ChunkWriter out) throws IOException;

        /** A regular file of {@code size} bytes; a file that grows or shrinks meanwhile fails. */
        static Content file(InputStream in, long size) {
            return out -> {
                out.drain(in, size);
                if (in.read() >= 0) {
                    throw new IOException("the file grew while it was sent");
                }
            };
        }

        /** A directory as one zip archive of its listed entries. */
        static Content directory(List<DirectoryArchive.Entry> entries) {
            return out -> DirectoryArchive.write(entries, out);
        }

        /** Input of unknown length, read to its end. */
        static Content input(InputStream in) {
            return out -> out.drain(in, Long.MAX_VALUE);
        }
    }

    private final SealedLink connection;
    private final long id;
    private final String name;
    private final long size;
    private final StreamKind kind;

    /**
     * @param id   the stream's id, never 0
     * @param name the name the peer sees
     * @param size the announced size, or -1 when unknown
     * @param kind what it carries
     */
    OutgoingStream(SealedLink connection, long id, String name, long size, StreamKind kind) {
        this.connection = connection;
        this.id = id;
        this.name = name;
        this.size = size;
        this.kind = kind;
    }

    /**
     * Sends the whole stream.
     *
     * @throws WormholeException {@code UNREADABLE} when the input failed or changed (the peer was told
     *                           to discard what arrived), or the connection's failure
     */
    void send(Content content) throws WormholeException {
        connection.send(new Message.StreamStart(id, name, size, kind), true);
        boolean hashed = !connection.shares(Feature.UNHASHED_STREAM);
        ChunkWriter out = new ChunkWriter(id, hashed, (plain, length) -> {
            try {
                connection.sendFrame(plain, length, true);
            } catch (WormholeException e) {
                throw new LinkBroken(e);
            }
        });
        try {
            content.writeTo(out);
            out.finish();
        } catch (LinkBroken e) {
            throw e.failure;
        } catch (IOException e) {
            connection.send(new Message.StreamAbort(id, "the sender could not read its input"), true);
            throw new WormholeException(Failure.UNREADABLE, "cannot read " + name + ": " + Details.of(e), e);
        }
        if (size >= 0 && out.count() != size) {
            connection.send(new Message.StreamAbort(id, "the file changed while it was sent"), true);
            throw new WormholeException(Failure.UNREADABLE, name + " changed while it was sent");
        }
        connection.send(new Message.StreamEnd(id, out.count(), out.sha256()), true);
    }

    /** Signals, through the I/O of a content writer, that the link broke rather than the input. */
    private static final class LinkBroken extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient WormholeException failure;

        LinkBroken(WormholeException failure) {
            super(failure.getMessage());
            this.failure = failure;
        }
    }
}
