package wormhole.api.internal;

import java.util.Arrays;

/**
 * The records a {@link PathLink} sends on either path (docs/PROTOCOL.md 3.3): a type byte, then for
 * data an 8-byte big-endian number and the sealed frame, for a confirmation an 8-byte count. The
 * type and number are in clear; the frame stays sealed.
 */
final class PathRecords {
    /** A sealed frame with its number. */
    static final byte DATA = 0;
    /** The count of frames taken, on the direct path. */
    static final byte ACK = 1;
    /** Keeps the relay from idling out while the frames go direct. */
    static final byte KEEPALIVE = 2;
    /** This end closes the direct path on purpose. */
    static final byte GOODBYE = 3;
    /** A data record's header: its type and its 8-byte number. */
    static final int HEADER = 9;

    private PathRecords() {
    }

    /** @return data record {@code number}: its header and the sealed frame, joined (for the relay) */
    static byte[] record(long number, byte[] frame) {
        byte[] r = Arrays.copyOf(dataHeader(number), HEADER + frame.length);
        System.arraycopy(frame, 0, r, HEADER, frame.length);
        return r;
    }

    /** @return the header of data record {@code number}, for a link that sends it before the frame */
    static byte[] dataHeader(long number) {
        return withNumber(DATA, number);
    }

    /** @return a confirmation of the first {@code count} frames */
    static byte[] ack(long count) {
        return withNumber(ACK, count);
    }

    private static byte[] withNumber(byte type, long v) {
        byte[] r = new byte[HEADER];
        r[0] = type;
        for (int i = 8; i >= 1; i--) {
            r[i] = (byte) v;
            v >>>= 8;
        }
        return r;
    }

    static long number(byte[] record) {
        long v = 0;
        for (int i = 1; i < HEADER; i++) {
            v = v << 8 | (record[i] & 0xff);
        }
        return v;
    }
}
