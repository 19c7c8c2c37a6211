package wormhole.api.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.LinkedBlockingDeque;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.FrameTooLargeException;

/**
 * Two {@link FrameLink}s joined in memory, for engine tests: what one sends the other receives.
 * Closing an end lets the other drain what was sent and then see an {@link EOFException}.
 */
final class LinkPair {
    private static final byte[] END = new byte[0];
    private static final byte[] CLOSED = new byte[0];

    final End a;
    final End b;

    /** @param maxFrameSizeOfA the frame limit end {@code a} announces (b takes the default) */
    LinkPair(int maxFrameSizeOfA) {
        LinkedBlockingDeque<byte[]> toA = new LinkedBlockingDeque<>();
        LinkedBlockingDeque<byte[]> toB = new LinkedBlockingDeque<>();
        this.a = new End(toA, toB, maxFrameSizeOfA);
        this.b = new End(toB, toA, FrameLink.MAX_FRAME_SIZE);
    }

    LinkPair() {
        this(FrameLink.MAX_FRAME_SIZE);
    }

    /** One end of the pair. */
    static final class End implements FrameLink {
        private final LinkedBlockingDeque<byte[]> inbound;
        private final LinkedBlockingDeque<byte[]> outbound;
        private final int maxFrameSize;
        private volatile boolean closed;
        private volatile long sendReturnDelayMillis;

        private End(LinkedBlockingDeque<byte[]> inbound, LinkedBlockingDeque<byte[]> outbound, int maxFrameSize) {
            this.inbound = inbound;
            this.outbound = outbound;
            this.maxFrameSize = maxFrameSize;
        }

        @Override
        public void send(byte[] frame) throws IOException {
            if (closed) {
                throw new IOException("closed");
            }
            if (frame.length > maxFrameSize) {
                throw new FrameTooLargeException(frame.length, maxFrameSize);
            }
            outbound.addLast(frame.clone());
            long delay = sendReturnDelayMillis;
            if (delay > 0) {
                // The frame is on its way, but the sender is slow to hear so (a busy machine).
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Makes every later send return only this long after its frame was delivered. */
        void delaySendReturn(long millis) {
            this.sendReturnDelayMillis = millis;
        }

        @Override
        public byte[] receive() throws IOException {
            if (closed) {
                throw new IOException("closed");
            }
            byte[] frame;
            try {
                frame = inbound.takeFirst();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException();
            }
            if (frame == CLOSED) {
                throw new IOException("closed");
            }
            if (frame == END) {
                inbound.addFirst(END);
                throw new EOFException("the other end closed");
            }
            return frame;
        }

        @Override
        public int maxFrameSize() {
            return maxFrameSize;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                outbound.addLast(END);
                inbound.addFirst(CLOSED);
            }
        }

        boolean isClosed() {
            return closed;
        }
    }
}
