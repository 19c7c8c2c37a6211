package wormhole.transport.relay;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import wormhole.api.spi.resume.ResendLog;

/**
 * What this side sends: frames waiting to go, messages sent but not yet taken by the relay (kept, as
 * the masked WebSocket frames they went in, for resending after a reconnect), and the sizes of
 * messages the other side has not yet consumed (the flow window). Messages are numbered from 0, as
 * the relay numbers them, in a {@link ResendLog} shared with the direct transport. Not thread-safe.
 */
final class Outbox {
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private long queuedBytes;

    private final ResendLog unacked = new ResendLog();

    private final ArrayDeque<Integer> window = new ArrayDeque<>();
    private long windowBase;
    private long windowBytes;

    void enqueue(byte[] frame) {
        queue.addLast(frame);
        queuedBytes += frame.length;
    }

    long queuedBytes() {
        return queuedBytes;
    }

    boolean hasQueued() {
        return !queue.isEmpty();
    }

    /** @return whether messages must be sent again (after a resume) before anything new */
    boolean hasResend() {
        return unacked.hasResend();
    }

    /** @return whether everything handed in has been sent (not necessarily taken by the relay) */
    boolean idle() {
        return queue.isEmpty() && !unacked.hasResend();
    }

    /** @return the next WebSocket frame to send again, as it first went */
    byte[] peekResend() {
        return unacked.peekResend();
    }

    /** @return the next WebSocket frame to send again, as it first went; the cursor moves past it */
    byte[] nextResend() {
        return unacked.nextResend();
    }

    /**
     * The frames of the next message: one frame, or, when bundling, as many queued frames as fit
     * in {@code maxFrame} bytes (a first frame always fits).
     */
    List<byte[]> peek(boolean bundling, int maxFrame) {
        List<byte[]> frames = new ArrayList<>();
        long size = 0;
        for (byte[] f : queue) {
            long next = size + Bundles.HEADER + f.length;
            if (!frames.isEmpty() && (!bundling || next > maxFrame)) {
                break;
            }
            frames.add(f);
            size = next;
        }
        return frames;
    }

    /**
     * Takes {@code frames} (from {@link #peek}) off the queue as message number {@link #sent()}.
     *
     * @param maskKey the masking key of the WebSocket frame it goes in
     * @return that frame, whole ({@link MaskedFrames#binary})
     */
    byte[] commit(List<byte[]> frames, boolean bundling, boolean keepForResume, int maskKey) {
        for (int i = 0; i < frames.size(); i++) {
            queuedBytes -= queue.removeFirst().length;
        }
        byte[] wire = MaskedFrames.binary(frames, bundling, maskKey);
        unacked.add(wire, keepForResume);
        if (keepForResume) {
            int size = MaskedFrames.payloadLength(wire);
            window.addLast(size);
            windowBytes += size;
        } else {
            windowBase++;
        }
        return wire;
    }

    long sent() {
        return unacked.sent();
    }

    /** @return whether a message of {@code size} bytes fits the flow window of {@code limit} bytes */
    boolean windowAllows(long size, long limit) {
        return windowBytes == 0 || windowBytes + size <= limit;
    }

    /** The relay has taken {@code received} messages: forget those. */
    void relayReceived(long received) {
        unacked.confirmed(received);
    }

    /** The other side has consumed {@code consumed} messages: they leave the flow window. */
    void peerConsumed(long consumed) {
        while (windowBase < consumed && !window.isEmpty()) {
            windowBytes -= window.removeFirst();
            windowBase++;
        }
    }

    /**
     * After a resume the relay holds {@code received} of our messages: resend from there.
     *
     * @throws IOException when messages the relay lacks are no longer here (a gap)
     */
    void resumeFrom(long received) throws IOException {
        unacked.rewindTo(received);
    }
}
