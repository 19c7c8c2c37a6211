package wormhole.api.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Builds the frames of the {@code stream} feature by hand, for tests that drive a {@link ManualEnd}. */
final class StreamFrames {
    private StreamFrames() {
    }

    static String start(long id, String name, Long size, String kind) {
        return "{\"type\":\"stream\",\"id\":" + id + ",\"name\":\"" + name + "\",\"size\":" + size
                + ",\"kind\":\"" + kind + "\"}";
    }

    static String end(long id, long size, String sha256) {
        return "{\"type\":\"stream-end\",\"id\":" + id + ",\"size\":" + size + ",\"sha256\":\"" + sha256 + "\"}";
    }

    /** The end of a stream between ends that share {@code stream-unhashed}: no SHA-256. */
    static String endUnhashed(long id, long size) {
        return "{\"type\":\"stream-end\",\"id\":" + id + ",\"size\":" + size + "}";
    }

    static byte[] chunk(long id, byte[] data) {
        byte[] frame = new byte[MessageCodec.CHUNK_HEADER + data.length];
        MessageCodec.chunkHeader(frame, id);
        System.arraycopy(data, 0, frame, MessageCodec.CHUNK_HEADER, data.length);
        return frame;
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
