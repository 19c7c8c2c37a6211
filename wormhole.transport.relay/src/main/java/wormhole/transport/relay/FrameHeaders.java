package wormhole.transport.relay;

import java.nio.ByteBuffer;

/**
 * Follows the frame headers of an incoming RFC 6455 byte stream (2 bytes, then 2 or 8 bytes of
 * extended length, then a 4-byte mask key when masked), skipping the payloads, and reports each data
 * message's size as its frames announce it, before any payload arrives. Not thread-safe: one per
 * connection, fed in order.
 */
final class FrameHeaders {
    /** Decides on one announced size; throws to refuse it. */
    @FunctionalInterface
    interface Check<E extends Exception> {
        /**
         * @param text  whether the message is a text message (else binary)
         * @param bytes the message's size so far, this frame included; {@link Long#MAX_VALUE} when
         *              the announced length does not fit 63 bits
         * @param last  whether this frame ends the message
         */
        void announced(boolean text, long bytes, boolean last) throws E;
    }

    private static final int OP_CONTINUATION = 0;
    private static final int OP_TEXT = 1;
    private static final int OP_BINARY = 2;

    private final byte[] header = new byte[14];
    private int headerFill;
    private long payloadLeft;
    private boolean messageText;
    private long messageBytes;
    private int headerStart;

    /**
     * Reads {@code bytes} from its position to its limit without moving them (pass a duplicate) and
     * checks every data frame header that completes there.
     */
    <E extends Exception> void scan(ByteBuffer bytes, Check<E> check) throws E {
        headerStart = bytes.position();
        while (bytes.hasRemaining()) {
            if (payloadLeft > 0) {
                int skip = (int) Math.min(payloadLeft, bytes.remaining());
                bytes.position(bytes.position() + skip);
                payloadLeft -= skip;
                continue;
            }
            if (headerFill == 0) {
                headerStart = bytes.position();
            }
            header[headerFill++] = bytes.get();
            if (headerFill >= 2 && headerFill == headerLength()) {
                headerFill = 0;
                onHeader(check);
            }
        }
    }

    private int headerLength() {
        int len7 = header[1] & 0x7f;
        int extended = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
        return 2 + extended + ((header[1] & 0x80) != 0 ? 4 : 0);
    }

    private <E extends Exception> void onHeader(Check<E> check) throws E {
        int opcode = header[0] & 0x0f;
        long length = payloadLength();
        payloadLeft = length < 0 ? 0 : length;
        if (opcode == OP_TEXT || opcode == OP_BINARY) {
            messageText = opcode == OP_TEXT;
            messageBytes = 0;
        } else if (opcode != OP_CONTINUATION) {
            return; // a control frame: at most 125 bytes, which the draft itself enforces
        }
        messageBytes = length < 0 || messageBytes > Long.MAX_VALUE - length ? Long.MAX_VALUE : messageBytes + length;
        check.announced(messageText, messageBytes, (header[0] & 0x80) != 0);
    }

    /** @return the announced payload length, or -1 when it does not fit 63 bits */
    private long payloadLength() {
        int len7 = header[1] & 0x7f;
        if (len7 < 126) {
            return len7;
        }
        if (len7 == 126) {
            return ((header[2] & 0xff) << 8) | (header[3] & 0xff);
        }
        long n = 0;
        for (int i = 2; i < 10; i++) {
            n = (n << 8) | (header[i] & 0xff);
        }
        return n;
    }

    /**
     * @return where, in the buffer last scanned, the last header seen began (its start, if the header
     *         began in an earlier buffer)
     */
    int headerStart() {
        return headerStart;
    }

    /** Forgets a partial header, as the draft forgets a partial frame. */
    void reset() {
        headerFill = 0;
        payloadLeft = 0;
        messageBytes = 0;
    }
}
