package wormhole.transport.memory;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One direction of an in-memory link: a bounded queue of frames. The writer blocks while it is full.
 * When the writer closes, the reader still gets what is queued and then an {@link EOFException}, as a
 * TCP reader would; when the reader closes, the queue is dropped and both ends fail at once.
 */
final class FramePipe {
    private final int capacity;
    private final ArrayDeque<byte[]> frames;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private boolean writerClosed;
    private boolean readerClosed;

    FramePipe(int capacity) {
        this.capacity = capacity;
        this.frames = new ArrayDeque<>(capacity);
    }

    void put(byte[] frame) throws IOException {
        lock.lock();
        try {
            while (frames.size() >= capacity && !writerClosed && !readerClosed) {
                notFull.await();
            }
            if (writerClosed) {
                throw new IOException("the link is closed");
            }
            if (readerClosed) {
                throw new IOException("the other end closed the link");
            }
            frames.addLast(frame);
            notEmpty.signal();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while sending");
        } finally {
            lock.unlock();
        }
    }

    byte[] take() throws IOException {
        lock.lock();
        try {
            while (frames.isEmpty() && !writerClosed && !readerClosed) {
                notEmpty.await();
            }
            if (readerClosed) {
                throw new IOException("the link is closed");
            }
            byte[] frame = frames.pollFirst();
            if (frame == null) {
                throw new EOFException("the other end closed the link");
            }
            notFull.signal();
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while receiving");
        } finally {
            lock.unlock();
        }
    }

    /** The writer is done: the reader still gets what is queued, then the end of the stream. */
    void closeWriter() {
        close(false);
    }

    /** The reader is done: what is queued is dropped and both ends fail at once. */
    void closeReader() {
        close(true);
    }

    private void close(boolean reader) {
        lock.lock();
        try {
            if (reader) {
                readerClosed = true;
                frames.clear();
            } else {
                writerClosed = true;
            }
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
