package wormhole.transport.relay;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Several frames in one relay message, used only between two protocol-2 clients: each frame is a
 * 4-byte big-endian length and then its bytes (docs/relay-protocol.md, section 4). They are written
 * straight into their WebSocket frame by {@link MaskedFrames#binary}, and read here.
 */
final class Bundles {
    static final int HEADER = 4;

    private Bundles() {
    }

    /** @return the bytes of the message {@code frames} make: one frame as it is, or bundled with lengths */
    static long size(List<byte[]> frames, boolean bundled) {
        long size = 0;
        for (byte[] f : frames) {
            size += (bundled ? HEADER : 0) + f.length;
        }
        return size;
    }

    static List<byte[]> unpack(byte[] message, int maxFrame) throws IOException {
        List<byte[]> frames = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(message);
        if (!b.hasRemaining()) {
            throw new IOException("the relay delivered an empty bundle");
        }
        while (b.hasRemaining()) {
            if (b.remaining() < HEADER) {
                throw new IOException("the relay delivered a truncated bundle");
            }
            int length = b.getInt();
            if (length < 0 || length > maxFrame || length > b.remaining()) {
                throw new IOException("the relay delivered a bundle with a bad frame length: " + length);
            }
            byte[] f = new byte[length];
            b.get(f);
            frames.add(f);
        }
        return frames;
    }
}
