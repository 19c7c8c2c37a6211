package wormhole.relayserver.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.java_websocket.enums.Opcode;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.InvalidFrameException;
import org.java_websocket.exceptions.LimitExceededException;
import org.java_websocket.framing.Framedata;
import org.java_websocket.framing.FramedataImpl1;

/**
 * Reads a client's WebSocket frames (RFC 6455, section 5.2) from the bytes as they arrive, however
 * the reads cut them: each header is checked by a {@link Gate} before its payload is allocated, and
 * each payload is unmasked eight bytes at a time as it is copied in. Java-WebSocket 1.6 buffers a
 * partial frame, copies it again and unmasks it a byte at a time, which was most of the relay's CPU
 * (about 3 CPU-seconds per GiB forwarded, docs/benchmarks.md). The checks are the library's: no
 * reserved bits (no extension is negotiated), known opcodes, control frames short and unfragmented,
 * and each frame's own validity (close codes, UTF-8 text).
 */
final class FrameReader {
    /** Decides, on a frame's header, whether its payload may be read. */
    interface Gate {
        /**
         * @param opcode the frame's opcode (0 for a continuation)
         * @param length its payload length, never negative ({@code Long.MAX_VALUE} for any length
         *               of 2^63 or more)
         * @throws InvalidDataException to refuse it; the connection closes with its code
         */
        void admit(int opcode, long length) throws InvalidDataException;

        /** The admitted frame's payload has arrived whole. */
        void arrived();
    }

    private static final int MAX_CONTROL_PAYLOAD = 125;
    /** Eight payload bytes at a time, in the machine's order (the mask is read the same way). */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final Gate gate;
    private final int maxFrameBytes;
    private final byte[] header = new byte[14];
    private int headerHave;
    private byte[] payload;
    private int payloadHave;
    private long wideMask;
    private final byte[] mask = new byte[4];
    private boolean masked;

    /**
     * @param gate          checks every header
     * @param maxFrameBytes the largest payload any frame may have
     */
    FrameReader(Gate gate, int maxFrameBytes) {
        this.gate = gate;
        this.maxFrameBytes = maxFrameBytes;
    }

    /** Reads every byte of {@code bytes}; returns the frames they completed, in order. */
    List<Framedata> read(ByteBuffer bytes) throws InvalidDataException {
        List<Framedata> frames = new ArrayList<>(2);
        while (bytes.hasRemaining()) {
            if (payload != null) {
                int n = Math.min(payload.length - payloadHave, bytes.remaining());
                bytes.get(payload, payloadHave, n);
                if (masked) {
                    unmask(payloadHave, n);
                }
                payloadHave += n;
                if (payloadHave == payload.length) {
                    frames.add(frame());
                }
            } else {
                header[headerHave++] = bytes.get();
                if (headerHave >= 2 && headerHave == headerLength()) {
                    startPayload(frames);
                }
            }
        }
        return frames;
    }

    /** Forgets a frame in progress (the connection closed). */
    void reset() {
        headerHave = 0;
        payload = null;
        payloadHave = 0;
    }

    private int headerLength() {
        int len7 = header[1] & 0x7f;
        int extended = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
        return 2 + extended + ((header[1] & 0x80) != 0 ? 4 : 0);
    }

    private void startPayload(List<Framedata> frames) throws InvalidDataException {
        int len7 = header[1] & 0x7f;
        int at = 2;
        long length;
        if (len7 == 126) {
            length = ((header[2] & 0xffL) << 8) | (header[3] & 0xffL);
            at = 4;
        } else if (len7 == 127) {
            length = 0;
            for (; at < 10; at++) {
                length = (length << 8) | (header[at] & 0xffL);
            }
        } else {
            length = len7;
        }
        if ((header[0] & 0x70) != 0) {
            throw new InvalidFrameException("a frame has reserved bits set, and no extension was negotiated");
        }
        int opcode = header[0] & 0x0f;
        opcode(opcode);
        if ((opcode & 0x08) != 0 && length > MAX_CONTROL_PAYLOAD) {
            throw new InvalidFrameException("a control frame of more than " + MAX_CONTROL_PAYLOAD + " bytes");
        }
        gate.admit(opcode, length < 0 ? Long.MAX_VALUE : length);
        if (length < 0 || length > maxFrameBytes) {
            throw new LimitExceededException("a frame of " + (length < 0 ? "more than 2^63" : length)
                    + " bytes is over the " + maxFrameBytes + "-byte limit", maxFrameBytes);
        }
        masked = (header[1] & 0x80) != 0;
        if (masked) {
            System.arraycopy(header, at, mask, 0, 4);
            wideMask = (long) LONGS.get(new byte[] {mask[0], mask[1], mask[2], mask[3], mask[0], mask[1], mask[2], mask[3]}, 0);
        }
        headerHave = 0;
        payload = new byte[(int) length];
        payloadHave = 0;
        if (length == 0) {
            frames.add(frame());
        }
    }

    /** Unmasks {@code n} payload bytes from {@code from}, whose key phase is {@code from % 4}. */
    private void unmask(int from, int n) {
        int i = from;
        int end = from + n;
        for (; i < end && (i & 7) != 0; i++) {
            payload[i] ^= mask[i & 3];
        }
        for (; i + 8 <= end; i += 8) {
            LONGS.set(payload, i, (long) LONGS.get(payload, i) ^ wideMask);
        }
        for (; i < end; i++) {
            payload[i] ^= mask[i & 3];
        }
    }

    private Framedata frame() throws InvalidDataException {
        FramedataImpl1 frame = FramedataImpl1.get(opcode(header[0] & 0x0f));
        frame.setFin((header[0] & 0x80) != 0);
        frame.setPayload(ByteBuffer.wrap(payload));
        payload = null;
        gate.arrived();
        frame.isValid();
        return frame;
    }

    private static Opcode opcode(int code) throws InvalidFrameException {
        return switch (code) {
            case 0x0 -> Opcode.CONTINUOUS;
            case 0x1 -> Opcode.TEXT;
            case 0x2 -> Opcode.BINARY;
            case 0x8 -> Opcode.CLOSING;
            case 0x9 -> Opcode.PING;
            case 0xA -> Opcode.PONG;
            default -> throw new InvalidFrameException("unknown opcode " + code);
        };
    }
}
