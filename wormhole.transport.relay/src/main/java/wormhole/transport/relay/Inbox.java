package wormhole.transport.relay;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import wormhole.api.spi.resume.ConfirmSchedule;

/**
 * What this side has received and not yet handed to the engine, with the counts the relay needs:
 * messages received (for a resume) and consumed (for confirmations, on the {@link ConfirmSchedule}
 * shared with the direct transport). Not thread-safe.
 */
final class Inbox {
    /** A confirmation is due at most this long after the first message not yet confirmed. */
    static final long ACK_DELAY_NANOS = ConfirmSchedule.DELAY_NANOS;

    private record Entry(byte[] frame, boolean endsMessage, int messageBytes) {
    }

    private final ArrayDeque<Entry> frames = new ArrayDeque<>();
    private long received;
    private final ConfirmSchedule consumed = new ConfirmSchedule();

    /** Adds one relay message: a single frame, or a bundle of frames. */
    void add(byte[] message, boolean bundled, int maxFrame) throws IOException {
        received++;
        if (!bundled) {
            frames.addLast(new Entry(message, true, message.length));
            return;
        }
        List<byte[]> parts = Bundles.unpack(message, maxFrame);
        for (int i = 0; i < parts.size(); i++) {
            boolean last = i == parts.size() - 1;
            frames.addLast(new Entry(parts.get(i), last, last ? message.length : 0));
        }
    }

    boolean isEmpty() {
        return frames.isEmpty();
    }

    byte[] take(long nowNanos) {
        Entry e = frames.removeFirst();
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
