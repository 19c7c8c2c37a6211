package wormhole.api.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import wormhole.api.Delivery;
import wormhole.api.Feature;
import wormhole.api.WormholeException;
import wormhole.api.WormholeException.Failure;
import wormhole.crypto.FrameSession;

/**
 * Sends items on the callers' threads: gives each an id where both ends support receipts, chooses
 * between a version-1 file message and a stream, and waits for the receipt. One outgoing stream at a
 * time; texts and other frames still slip in between its chunks.
 */
final class Sender {
    private final SealedLink connection;
    private final Receipts receipts;
    private final Ending ending;
    private final AtomicLong nextId = new AtomicLong();
    private final Object streamLock = new Object();

    Sender(SealedLink connection, Receipts receipts, Ending ending) {
        this.connection = connection;
        this.receipts = receipts;
        this.ending = ending;
    }

    Delivery sendText(String text, Duration ackTimeout) throws WormholeException {
        long id = newId();
        CompletableFuture<Delivery> receipt = receipts.expect(id);
        try {
            connection.send(new Message.Text(text, id), true);
        } catch (WormholeException e) {
            receipts.forget(id);
            throw e;
        }
        return receipts.await(id, receipt, ackTimeout);
    }

    Delivery sendFile(Path file, String name, Duration ackTimeout) throws WormholeException {
        // Before the version exchange the peer's features are unknown: without this check a big file
        // would be measured against the version-1 limit and refused as too large.
        requireConnected();
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            return sendDirectory(file, name, ackTimeout);
        }
        long size;
        try {
            if (!Files.isRegularFile(file)) {
                throw new WormholeException(Failure.UNREADABLE, "not a regular file: " + file.getFileName());
            }
            size = Files.size(file);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        if (connection.shares(Feature.STREAM)) {
            try (InputStream in = Files.newInputStream(file)) {
                return stream(name, size, StreamKind.FILE, OutgoingStream.Content.file(in, size), ackTimeout);
            } catch (IOException e) {
                throw unreadable(file, e);
            }
        }
        return sendVersion1File(file, name, size, ackTimeout);
    }

    /** A whole file in one frame, base64 in JSON, for a peer without streams. */
    private Delivery sendVersion1File(Path file, String name, long size, Duration ackTimeout)
            throws WormholeException {
        long limit = maxVersion1FileSize(name);
        if (size > limit) {
            throw new WormholeException(Failure.TOO_LARGE, "the file has " + size
                    + " bytes; this peer takes files of at most " + limit + " bytes in one version-1 message");
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new WormholeException(Failure.UNREADABLE, "no such file: " + file.getFileName(), e);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        long id = newId();
        CompletableFuture<Delivery> receipt = receipts.expect(id);
        try {
            connection.send(new Message.File(name, content.length, content, id), true);
        } catch (WormholeException e) {
            receipts.forget(id);
            throw e;
        }
        return receipts.await(id, receipt, ackTimeout);
    }

    private Delivery sendDirectory(Path dir, String name, Duration ackTimeout) throws WormholeException {
        requireStream("a directory");
        List<DirectoryArchive.Entry> entries;
        try {
            entries = DirectoryArchive.list(dir);
        } catch (IOException e) {
            throw new WormholeException(Failure.UNREADABLE, "cannot send the folder " + dir.getFileName() + ": "
                    + Details.of(e), e);
        }
        return stream(name, -1, StreamKind.DIRECTORY, OutgoingStream.Content.directory(entries), ackTimeout);
    }

    Delivery sendStream(InputStream in, String name, Duration ackTimeout) throws WormholeException {
        requireStream("input of unknown length");
        return stream(name, -1, StreamKind.STDIN, OutgoingStream.Content.input(in), ackTimeout);
    }

    private void requireConnected() throws WormholeException {
        if (!connection.isConnected()) {
            boolean over = ending.isOver();
            throw new WormholeException(over ? Failure.CLOSED : Failure.NOT_CONNECTED,
                    over ? "the channel is closed" : "the channel is not connected yet");
        }
    }

    private void requireStream(String what) throws WormholeException {
        requireConnected();
        if (!connection.shares(Feature.STREAM)) {
            throw new WormholeException(Failure.UNSUPPORTED, "the peer cannot take " + what
                    + ": it lacks the stream feature (a version-1 peer takes files of at most "
                    + maxVersion1FileSize("file") + " bytes)");
        }
    }

    /** Sends one stream, then waits for its receipt. */
    private Delivery stream(String name, long size, StreamKind kind, OutgoingStream.Content content,
            Duration ackTimeout) throws WormholeException {
        synchronized (streamLock) {
            long id = nextId.incrementAndGet();
            CompletableFuture<Delivery> receipt = receipts.expect(id);
            try {
                new OutgoingStream(connection, id, name, size, kind).send(content);
            } catch (WormholeException e) {
                receipts.forget(id);
                throw e;
            }
            return receipts.await(id, receipt, ackTimeout);
        }
    }

    /** @return a fresh id when both ends support receipts, else 0 (no id on the wire) */
    private long newId() {
        return connection.shares(Feature.ACK) ? nextId.incrementAndGet() : 0;
    }

    /** The largest file whose version-1 message (base64 in JSON) still fits one frame. */
    private long maxVersion1FileSize(String name) {
        int overhead = FrameSession.TAG_LENGTH + 64 + name.getBytes(StandardCharsets.UTF_8).length * 6;
        long base64Chars = connection.maxFrameSize() - overhead;
        return base64Chars / 4 * 3;
    }

    private static WormholeException unreadable(Path file, IOException e) {
        return new WormholeException(Failure.UNREADABLE, "cannot read " + file.getFileName() + ": " + Details.of(e), e);
    }
}
