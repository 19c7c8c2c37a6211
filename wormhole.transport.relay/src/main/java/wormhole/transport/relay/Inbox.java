package wormhole.transport.relay;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import wormhole.api.spi.resume.ConfirmSchedule;

/**
 * What this side has received and not yet handed to the engine, with the counts the relay needs:
 * messages received (for a resume) and consumed (for confirmations, on the {@link ConfirmSchedule}
 * shared with the direct transport). What waits here is bounded: a relay that delivers more than
 * the bound before the engine consumed it is refused. Not thread-safe.
 */
final class Inbox {
    /** A confirmation is due at most this long after the first message not yet confirmed. */
    static final long ACK_DELAY_NANOS = ConfirmSchedule.DELAY_NANOS;

    private record Entry(byte[] frame, boolean endsMessage, int messageBytes) {
    }

    private final ArrayDeque<Entry> frames = new ArrayDeque<>();
    private long received;
    private final ConfirmSchedule consumed = new ConfirmSchedule();
    private long pendingBytes;

    /**
     * Adds one relay message: a single frame, or a bundle of frames.
     *
     * @param maxPending how many bytes may wait for the engine, this message included
     * @throws IOException when the message is a broken bundle, or would take what waits over
     *                     {@code maxPending} (nothing is added then)
     */
    void add(byte[] message, boolean bundled, int maxFrame, long maxPending) throws IOException {
        if (pendingBytes + message.length > maxPending) {
            throw new IOException("relay: delivered " + (pendingBytes + message.length) + " bytes that this side has "
                    + "not consumed yet, over the " + maxPending + "-byte bound (a relay must wait for confirmations)");
        }
        received++;
        if (!bundled) {
            frames.addLast(new Entry(message, true, message.length));
            pendingBytes += message.length;
            return;
        }
        List<byte[]> parts = Bundles.unpack(message, maxFrame);
        for (int i = 0; i < parts.size(); i++) {
            boolean last = i == parts.size() - 1;
            frames.addLast(new Entry(parts.get(i), last, last ? message.length : 0));
            pendingBytes += parts.get(i).length;
        }
    }

    boolean isEmpty() {
        return frames.isEmpty();
    }

    byte[] take(long nowNanos) {
        Entry e = frames.removeFirst();
        pendingBytes -= e.frame().length;
        if (e.endsMessage()) {
            consumed.took(e.messageBytes(), nowNanos);
        }
        return e.frame();
    }

    long received() {
        return received;
    }

    /** @return whether a confirmation should go to the relay now */
    boolean confirmDue(long nowNanos) {
        return consumed.due(nowNanos);
    }

    /** @return the count to confirm, now counted as confirmed */
    long confirm() {
        return consumed.confirm();
    }
}
