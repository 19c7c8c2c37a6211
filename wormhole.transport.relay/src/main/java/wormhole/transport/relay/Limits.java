package wormhole.transport.relay;

import com.fasterxml.jackson.databind.JsonNode;
import wormhole.api.spi.FrameLink;

/**
 * The limits a relay announced in its {@code welcome}, or the reference relay's defaults for a relay
 * that announces none (a Python relay).
 *
 * @param maxMessageBytes the largest binary message this client accepts from the relay: the relay's
 *                        {@code max_message_bytes} (its frame limit plus {@link #FRAMING} bytes), never
 *                        more than the reference's
 * @param bufferBytes     what the relay holds per direction; {@link Long#MAX_VALUE} for a Python
 *                        relay, which has no such limit
 */
record Limits(int maxFrameBytes, long maxMessageBytes, int framesPerWindow, long bytesPerWindow, long windowMillis,
        long bufferBytes, long resumeGraceMillis) {

    /** A relay message may carry this much beside its frame (bundle headers). */
    static final int FRAMING = 64;

    /** The reference relay's limits; no confirmations, so no flow window and no resume. */
    static final Limits REFERENCE = new Limits(FrameLink.MAX_FRAME_SIZE, FrameLink.MAX_FRAME_SIZE + FRAMING, 60,
            50L * 1024 * 1024, 60_000, Long.MAX_VALUE, 0);

    static Limits from(JsonNode limits) {
        int maxFrame = (int) Math.min(FrameLink.MAX_FRAME_SIZE, positive(limits, "max_frame_bytes", REFERENCE.maxFrameBytes));
        return new Limits(
                maxFrame,
                Math.min(REFERENCE.maxMessageBytes, positive(limits, "max_message_bytes", maxFrame + FRAMING)),
                (int) Math.min(Integer.MAX_VALUE, positive(limits, "frames_per_window", REFERENCE.framesPerWindow)),
                positive(limits, "bytes_per_window", REFERENCE.bytesPerWindow),
                positive(limits, "window_ms", REFERENCE.windowMillis),
                positive(limits, "buffer_bytes", 24L * 1024 * 1024),
                positive(limits, "resume_grace_ms", 60_000));
    }

    private static long positive(JsonNode n, String field, long fallback) {
        JsonNode v = n.path(field);
        return v.canConvertToLong() && v.asLong() > 0 ? v.asLong() : fallback;
    }
}
