package wormhole.transport.memory;

import java.io.IOException;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.FrameTooLargeException;

/** One end of an in-memory link: sends into one {@link FramePipe} and receives from the other. */
final class MemoryFrameLink implements FrameLink {
    /** Frames a direction holds before the sender blocks. */
    static final int QUEUE_CAPACITY = 32;

    private final FramePipe inbound;
    private final FramePipe outbound;

    private MemoryFrameLink(FramePipe inbound, FramePipe outbound) {
        this.inbound = inbound;
        this.outbound = outbound;
    }

    /** @return two linked ends: what one sends, the other receives */
    static MemoryFrameLink[] pair() {
        FramePipe hostToPeer = new FramePipe(QUEUE_CAPACITY);
        FramePipe peerToHost = new FramePipe(QUEUE_CAPACITY);
        return new MemoryFrameLink[] {
            new MemoryFrameLink(peerToHost, hostToPeer),
            new MemoryFrameLink(hostToPeer, peerToHost)
        };
    }

    @Override
    public void send(byte[] frame) throws IOException {
        if (frame.length > maxFrameSize()) {
            throw new FrameTooLargeException(frame.length, maxFrameSize());
        }
        // The SPI hands the array over; this link copies anyway, as a socket would, so its tests can reuse theirs.
        outbound.put(frame.clone());
    }

    @Override
    public byte[] receive() throws IOException {
        return inbound.take();
    }

    @Override
    public void close() {
        outbound.closeWriter();
        inbound.closeReader();
    }
}
