package wormhole.api.internal;

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

    static byte[] record(long number, byte[] frame) {
        byte[] r = new byte[HEADER + frame.length];
        r[0] = DATA;
        putLong(r, number);
        System.arraycopy(frame, 0, r, HEADER, frame.length);
        return r;
    }

    static byte[] ack(long count) {
        byte[] r = new byte[HEADER];
        r[0] = ACK;
        putLong(r, count);
        return r;
    }

    private static void putLong(byte[] r, long v) {
        for (int i = 8; i >= 1; i--) {
            r[i] = (byte) v;
            v >>>= 8;
        }
    }

    static long number(byte[] record) {
        long v = 0;
        for (int i = 1; i < HEADER; i++) {
            v = v << 8 | (record[i] & 0xff);
        }
        return v;
    }
}
