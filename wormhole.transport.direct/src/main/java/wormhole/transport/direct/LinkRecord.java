package wormhole.transport.direct;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What a direct connection carries: frames, and, once both ends agreed to resume, link control
 * records, marked by the length prefix {@code 0xFFFFFFFF} (no frame is that long) and followed by a
 * type byte and an 8-byte big-endian count. A version-1 peer never sees one.
 */
sealed interface LinkRecord {
    /** The length prefix that marks a control record. */
    long CONTROL = 0xFFFFFFFFL;
    /** The bytes after the prefix: the type and the count. */
    int CONTROL_BODY = 9;
    /** Control type: how many frames this end has received (a confirmation, and a heartbeat). */
    byte RECEIVED = 0x01;
    /** Control type: this end closes the link on purpose; the count is its frames received. */
    byte GOODBYE = 0x02;

    /** @param frame a frame, as on a plain link */
    record Data(byte[] frame) implements LinkRecord {
    }

    /** @param count how many frames the other end has received from this one */
    record Received(long count) implements LinkRecord {
    }

    /** The other end closed the link on purpose: no resume is coming. */
    record Goodbye() implements LinkRecord {
    }

    /** @return the record that a control body holds */
    static LinkRecord control(byte[] body) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(body);
        byte type = b.get();
        long count = b.getLong();
        if (count < 0) {
            throw new IOException("a link control record with a negative count");
        }
        return switch (type) {
            case RECEIVED -> new Received(count);
            case GOODBYE -> new Goodbye();
            default -> throw new IOException(String.format("unknown link control record type 0x%02x", type));
        };
    }

    /** @return the 13 bytes of a control record: the prefix, the type and the count */
    static byte[] encode(byte type, long count) {
        return ByteBuffer.allocate(4 + CONTROL_BODY).putInt((int) CONTROL).put(type).putLong(count).array();
    }
}
