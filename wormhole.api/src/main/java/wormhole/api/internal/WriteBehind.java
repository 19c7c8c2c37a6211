package wormhole.api.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import wormhole.api.spi.Threads;

/**
 * Pushes a big incoming file to the disk while the rest of it still arrives, so the {@code fsync}
 * that must come before the file is published has little left to write. Without it the whole file
 * waited in the page cache until the end: 0.6 s for 1 GiB on the test machine, in which nothing else
 * happened. Small files (under {@link #STEP_BYTES}) never start a flush. One thread, shared by every
 * channel of the process, flushes one file at a time.
 */
final class WriteBehind {
    /** A flush starts once this much more has been written since the last one started. */
    static final long STEP_BYTES = 32L * 1024 * 1024;
    /** Shared by every channel of the process, so it is a plain daemon, not one of a channel's threads. */
    private static final ExecutorService FLUSHER =
            Executors.newSingleThreadExecutor(Threads.named(Threads.daemons(), "wormhole-flush"));

    private final FileChannel file;
    private long written;
    private long flushStartedAt;
    private CompletableFuture<Void> flushing = CompletableFuture.completedFuture(null);

    WriteBehind(FileChannel file) {
        this.file = file;
    }

    /** Counts {@code bytes} more written, and starts a flush when one is due and none is running. */
    void wrote(long bytes) {
        written += bytes;
        if (written - flushStartedAt >= STEP_BYTES && flushing.isDone()) {
            flushStartedAt = written;
            flushing = CompletableFuture.runAsync(this::force, FLUSHER);
        }
    }

    /**
     * Makes everything written durable: waits for the flush under way, then forces the rest.
     *
     * @throws IOException when the disk refused, now or in an earlier flush
     */
    void finish() throws IOException {
        try {
            flushing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while the file was flushed");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause);
        }
        file.force(false);
    }

    private void force() {
        try {
            file.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
