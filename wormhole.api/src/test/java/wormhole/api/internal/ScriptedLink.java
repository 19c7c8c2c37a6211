package wormhole.api.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import wormhole.api.spi.FrameLink;

/**
 * A link whose other end is a recording: it hands out the given frames in order, then waits (as a
 * quiet peer would) until closed, and records every frame the engine sends.
 */
final class ScriptedLink implements FrameLink {
    private final ArrayDeque<byte[]> script;
    private final LinkedBlockingQueue<byte[]> sent = new LinkedBlockingQueue<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    ScriptedLink(List<byte[]> frames) {
        this.script = new ArrayDeque<>(frames);
    }

    @Override
    public void send(byte[] frame) throws IOException {
        if (closed.getCount() == 0) {
            throw new IOException("closed");
        }
        sent.add(frame.clone());
    }

    @Override
    public byte[] receive() throws IOException {
        synchronized (script) {
            if (!script.isEmpty()) {
                return script.removeFirst();
            }
        }
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
        }
        throw new IOException("closed");
    }

    @Override
    public void close() {
        closed.countDown();
    }

    /** Waits for the next frame the engine sent. */
    byte[] nextSent() throws InterruptedException {
        byte[] frame = sent.poll(5, TimeUnit.SECONDS);
        if (frame == null) {
            throw new AssertionError("the engine sent nothing within 5 s");
        }
        return frame;
    }

    /** @return frames sent and not yet taken */
    int unreadSent() {
        return sent.size();
    }

    boolean isClosed() {
        return closed.getCount() == 0;
    }
}
