package wormhole.api.spi;

import java.io.Closeable;
import java.io.IOException;

/**
 * A bidirectional link that carries whole, opaque frames in order between the two ends of one
 * channel. The channel engine encrypts every frame after the first (the SPAKE2 message), so a link
 * never sees plaintext. One thread sends and one thread receives at a time; {@link #close} may be
 * called from any thread and must unblock both. Methods must throw only {@link IOException}s; the
 * package documentation has the whole contract.
 */
public interface FrameLink extends Closeable {
    /** The largest frame any transport must carry: 10 MiB, as the version-1 protocol. */
    int MAX_FRAME_SIZE = 10 * 1024 * 1024;

    /**
     * Sends one frame, returning once it has been handed to the operating system or the relay
     * connection (not once the peer has read it).
     *
     * @param frame the frame, at most {@link #maxFrameSize()} bytes. The caller hands the array over:
     *              it never reads or writes it after the call, so a transport may keep it (to send
     *              later, or again after a reconnect) without copying it
     * @throws IOException when the link is closed or broken
     */
    void send(byte[] frame) throws IOException;

    /**
     * Sends one frame made of {@code head} followed by {@code body}, exactly as {@link #send(byte[])}
     * of the two joined would: the other end receives one frame. A link that writes a byte stream
     * should override it to write the two parts without joining them; the default joins them. Used by
     * the engine's upgrade layer, which puts a small record header before every sealed frame.
     *
     * @param head the frame's first bytes; handed over like {@code body}
     * @param body the rest; together at most {@link #maxFrameSize()} bytes
     * @throws IOException when the link is closed or broken
     */
    default void send(byte[] head, byte[] body) throws IOException {
        byte[] frame = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, frame, head.length, body.length);
        send(frame);
    }

    /**
     * Waits for the next frame from the other end.
     *
     * @return the frame, never null, owned by the caller (the link must not keep or reuse it)
     * @throws java.io.EOFException when the other end closed the link cleanly
     * @throws FrameTooLargeException when the other end announced a frame over the limit
     * @throws IOException when the link is closed or broken
     */
    byte[] receive() throws IOException;

    /** @return the largest frame this link carries in either direction */
    default int maxFrameSize() {
        return MAX_FRAME_SIZE;
    }

    /**
     * How long the rendezvous keeps this link without traffic before it drops it (a relay's announced
     * inactivity limit), so the engine can send keepalives in time; empty when there is no such limit.
     *
     * @return the limit, if any
     */
    default java.util.Optional<java.time.Duration> idleLimit() {
        return java.util.Optional.empty();
    }

    /**
     * Closes the link; a blocked {@link #receive()} or {@link #send} must fail at once. Must be
     * idempotent, callable from any thread, must not block on a send or receive in progress, and
     * must not throw.
     */
    @Override
    void close();
}
