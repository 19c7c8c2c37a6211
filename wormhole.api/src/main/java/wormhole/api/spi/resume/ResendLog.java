package wormhole.api.spi.resume;

import java.io.IOException;
import java.util.ArrayList;

/**
 * What one side sent, numbered from 0, and kept until the other end confirms it, so that after a
 * reconnect everything from the number the other end names can be sent again, once and in order.
 * A cursor marks the next message to (re)send. Not thread-safe.
 */
public final class ResendLog {
    private final ArrayList<byte[]> kept = new ArrayList<>();
    private int head;
    private long base;
    private long sent;
    private long cursor;
    private long keptBytes;

    /** Creates an empty log. */
    public ResendLog() {
    }

    /**
     * Numbers the next message, which is sent now (the cursor moves past it).
     *
     * @param message the message
     * @param keep    whether to keep it for resending (false: it can never be asked for again)
     * @return its number
     */
    public long add(byte[] message, boolean keep) {
        if (keep) {
            kept.add(message);
            keptBytes += message.length;
        } else {
            base++;
        }
        cursor++;
        return sent++;
    }

    /** @return how many messages were numbered */
    public long sent() {
        return sent;
    }

    /** @return the number of the first message still kept (all before it were confirmed or never kept) */
    public long firstKept() {
        return base;
    }

    /** @return the bytes kept for resending */
    public long keptBytes() {
        return keptBytes;
    }

    /** @return whether messages must be sent again (after {@link #rewindTo}) before anything new */
    public boolean hasResend() {
        return cursor < sent;
    }

    /** @return the next message to send again, without moving the cursor */
    public byte[] peekResend() {
        return kept.get(head + (int) (cursor - base));
    }

    /** @return the next message to send again; the cursor moves past it */
    public byte[] nextResend() {
        byte[] m = peekResend();
        cursor++;
        return m;
    }

    /**
     * The other end has {@code received} messages: forget those. A count below what was already
     * forgotten changes nothing.
     *
     * @param received how many messages the other end holds
     */
    public void confirmed(long received) {
        while (base < received && head < kept.size()) {
            keptBytes -= kept.get(head).length;
            kept.set(head++, null);
            base++;
        }
        if (head > 64 && head * 2 > kept.size()) {
            kept.subList(0, head).clear();
            head = 0;
        }
    }

    /**
     * After a reconnect the other end holds {@code received} messages: resend from there.
     *
     * @param received how many messages the other end holds
     * @throws IOException when it asks for messages no longer kept, or for more than were sent (a gap)
     */
    public void rewindTo(long received) throws IOException {
        if (received < base || received > sent) {
            throw new IOException("cannot resume: the other end holds " + received + " of our messages but we kept "
                    + base + " to " + sent);
        }
        confirmed(received);
        cursor = received;
    }
}
