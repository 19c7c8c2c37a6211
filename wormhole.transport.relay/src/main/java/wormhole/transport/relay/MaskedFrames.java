package wormhole.transport.relay;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.java_websocket.framing.Framedata;

/**
 * Writes a client's WebSocket frame (RFC 6455, section 5.2: header, mask key, masked payload) eight
 * bytes at a time. Java-WebSocket 1.6 masks a byte at a time through two ByteBuffers, which was a
 * third of the sending end's CPU through a relay (3 CPU-seconds per GiB, docs/benchmarks.md); the
 * bytes on the wire are the same. A relay message is written straight into its frame
 * ({@link #binary}), bundle and all, so its bytes are copied once on their way out.
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
        int first = (frame.isFin() ? 0x80 : 0) | (frame.isRSV1() ? 0x40 : 0) | (frame.isRSV2() ? 0x20 : 0)
                | (frame.isRSV3() ? 0x10 : 0) | opcode(frame);
        byte[] out = new byte[headerLength(length) + length];
        int p = header(out, first, length, maskKey);
        payload.get(out, p, length);
        mask(out, p, length, key(out, p - 4));
        return ByteBuffer.wrap(out);
    }

    /**
     * A final binary frame carrying one relay message: the one frame as it is, or, bundled, each
     * frame behind its 4-byte length (docs/relay-protocol.md, section 4).
     *
     * @param frames  the frames, one when not bundled
     * @param bundled whether to bundle them
     * @param maskKey the frame's masking key, from a strong source of randomness
     * @return the whole WebSocket frame
     */
    static byte[] binary(List<byte[]> frames, boolean bundled, int maskKey) {
        int length = Math.toIntExact(Bundles.size(frames, bundled));
        byte[] out = new byte[headerLength(length) + length];
        int p = header(out, 0x80 | 0x2, length, maskKey);
        int start = p;
        for (byte[] f : frames) {
            if (bundled) {
                out[p++] = (byte) (f.length >>> 24);
                out[p++] = (byte) (f.length >>> 16);
                out[p++] = (byte) (f.length >>> 8);
                out[p++] = (byte) f.length;
            }
            System.arraycopy(f, 0, out, p, f.length);
            p += f.length;
        }
        mask(out, start, length, key(out, start - 4));
        return out;
    }

    /** @return how many bytes a frame of {@link #binary} or {@link #encode} carries after its header */
    static int payloadLength(byte[] frame) {
        return frame.length - payloadOffset(frame);
    }

    /**
     * A copy of a frame masked under a new key, for sending it again on another connection: a key is
     * never used twice.
     */
    static byte[] remasked(byte[] frame, int maskKey) {
        byte[] out = frame.clone();
        int p = payloadOffset(out);
        byte[] old = key(out, p - 4);
        byte[] next = {(byte) (maskKey >>> 24), (byte) (maskKey >>> 16), (byte) (maskKey >>> 8), (byte) maskKey};
        byte[] both = new byte[4];
        for (int i = 0; i < 4; i++) {
            both[i] = (byte) (old[i] ^ next[i]);
        }
        mask(out, p, out.length - p, both);
        System.arraycopy(next, 0, out, p - 4, 4);
        return out;
    }

    private static int headerLength(int payloadLength) {
        return 2 + (payloadLength <= 125 ? 0 : payloadLength <= 0xFFFF ? 2 : 8) + 4;
    }

    private static int payloadOffset(byte[] frame) {
        int len7 = frame[1] & 0x7f;
        return 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + 4;
    }

    /** Writes the header and the key; returns where the payload starts. */
    private static int header(byte[] out, int first, int length, int maskKey) {
        out[0] = (byte) first;
        int p = 2;
        if (length <= 125) {
            out[1] = (byte) (0x80 | length);
        } else if (length <= 0xFFFF) {
            out[1] = (byte) (0x80 | 126);
            out[p++] = (byte) (length >>> 8);
            out[p++] = (byte) length;
        } else {
            out[1] = (byte) (0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out[p++] = (byte) ((long) length >>> shift);
            }
        }
        out[p++] = (byte) (maskKey >>> 24);
        out[p++] = (byte) (maskKey >>> 16);
        out[p++] = (byte) (maskKey >>> 8);
        out[p++] = (byte) maskKey;
        return p;
    }

    private static byte[] key(byte[] frame, int at) {
        return new byte[] {frame[at], frame[at + 1], frame[at + 2], frame[at + 3]};
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
