package wormhole.transport.relay;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.java_websocket.framing.Framedata;

/**
 * Writes a client's WebSocket frame (RFC 6455, section 5.2: header, mask key, masked payload) eight
 * bytes at a time. Java-WebSocket 1.6 masks a byte at a time through two ByteBuffers, which was a
 * third of the sending end's CPU through a relay (3 CPU-seconds per GiB, docs/benchmarks.md); the
 * bytes on the wire are the same.
 */
final class MaskedFrames {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private MaskedFrames() {
    }

    /**
     * @param frame   the frame; its payload buffer is read from its position to its limit, which stay
     * @param maskKey the frame's masking key, from a strong source of randomness
     * @return the frame's bytes, ready to write
     */
    static ByteBuffer encode(Framedata frame, int maskKey) {
        ByteBuffer payload = frame.getPayloadData().duplicate();
        int length = payload.remaining();
        int lengthBytes = length <= 125 ? 0 : length <= 0xFFFF ? 2 : 8;
        byte[] out = new byte[2 + lengthBytes + 4 + length];
        out[0] = (byte) ((frame.isFin() ? 0x80 : 0) | (frame.isRSV1() ? 0x40 : 0) | (frame.isRSV2() ? 0x20 : 0)
                | (frame.isRSV3() ? 0x10 : 0) | opcode(frame));
        int p = 2;
        if (lengthBytes == 0) {
            out[1] = (byte) (0x80 | length);
        } else if (lengthBytes == 2) {
            out[1] = (byte) (0x80 | 126);
            out[p++] = (byte) (length >>> 8);
            out[p++] = (byte) length;
        } else {
            out[1] = (byte) (0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out[p++] = (byte) ((long) length >>> shift);
            }
        }
        byte[] key = {(byte) (maskKey >>> 24), (byte) (maskKey >>> 16), (byte) (maskKey >>> 8), (byte) maskKey};
        System.arraycopy(key, 0, out, p, 4);
        p += 4;
        payload.get(out, p, length);
        mask(out, p, length, key);
        return ByteBuffer.wrap(out);
    }

    /** XORs {@code length} bytes from {@code from} with the repeated key, in place. */
    static void mask(byte[] bytes, int from, int length, byte[] key) {
        byte[] eight = {key[0], key[1], key[2], key[3], key[0], key[1], key[2], key[3]};
        long wide = (long) LONGS.get(eight, 0);
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            LONGS.set(bytes, from + i, (long) LONGS.get(bytes, from + i) ^ wide);
        }
        for (; i < length; i++) {
            bytes[from + i] ^= key[i & 3];
        }
    }

    private static int opcode(Framedata frame) {
        return switch (frame.getOpcode()) {
            case CONTINUOUS -> 0x0;
            case TEXT -> 0x1;
            case BINARY -> 0x2;
            case CLOSING -> 0x8;
            case PING -> 0x9;
            case PONG -> 0xA;
        };
    }
}
