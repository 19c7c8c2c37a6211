package wormhole.transport.relay;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.Opcode;
import org.java_websocket.enums.Role;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.LimitExceededException;
import org.java_websocket.framing.Framedata;
import org.java_websocket.framing.PongFrame;
import org.java_websocket.protocols.Protocol;

/**
 * RFC 6455 with a cap on incoming messages that changes during the connection. Draft_6455 allocates a
 * frame's whole announced payload as soon as it reads the header, and its own limit is fixed when it is
 * built; this draft reads the headers first and refuses (close 1009) a message over the cap before
 * anything is allocated for it.
 *
 * <p>The cap changes when the connection hears the relay's answer to its join, a text message. The
 * draft decodes everything one read brought before any message is handled, so a frame that follows a
 * text message in the same read is checked against {@link Cap#binaryCeiling()} before allocation, and
 * against the cap in force when it is handled.
 */
final class CappedDraft extends Draft_6455 {
    /** The connection's side: what it accepts now, and who hears of a refusal. */
    interface Cap {
        /** @return the largest binary message accepted now, in bytes */
        long maxBinaryBytes();

        /** @return the most {@link #maxBinaryBytes()} can ever become */
        long binaryCeiling();

        /** @return the largest text message accepted (relay control messages are small) */
        long maxTextBytes();

        /** Hears why a message was refused, just before the connection closes with 1009. */
        void refused(String why);
    }

    private final Cap cap;
    private final FrameHeaders headers = new FrameHeaders();
    private boolean textBefore;
    /** Stands, in the frames handed on, for the place of a refused frame. */
    private final Framedata refusalMark = new PongFrame();
    private LimitExceededException refusal;
    private long binaryMessageBytes;
    private final SecureRandom maskKeys = new SecureRandom();

    CappedDraft(Cap cap) {
        super(Collections.emptyList(), List.of(new Protocol("")), Integer.MAX_VALUE);
        this.cap = cap;
    }

    /** Java-WebSocket copies the draft for each connection: the copy shares the cap, not the state. */
    @Override
    public Draft copyInstance() {
        return new CappedDraft(cap);
    }

    @Override
    public List<Framedata> translateFrame(ByteBuffer buffer) throws InvalidDataException {
        textBefore = false;
        try {
            headers.scan(buffer.duplicate(), this::checkAnnounced);
        } catch (LimitExceededException e) {
            // The frames before the refused one are handed on, then the refusal (see processFrame).
            ByteBuffer before = buffer.duplicate();
            before.limit(headers.headerStart());
            List<Framedata> frames = new ArrayList<>(super.translateFrame(before));
            buffer.position(buffer.limit());
            refusal = e;
            frames.add(refusalMark);
            return frames;
        }
        return super.translateFrame(buffer);
    }

    private void checkAnnounced(boolean text, long bytes, boolean last) throws LimitExceededException {
        if (text) {
            check(true, bytes, cap.maxTextBytes());
            textBefore |= last;
        } else {
            check(false, bytes, textBefore ? Math.max(cap.maxBinaryBytes(), cap.binaryCeiling()) : cap.maxBinaryBytes());
        }
    }

    @Override
    public void processFrame(WebSocketImpl webSocketImpl, Framedata frame) throws InvalidDataException {
        if (frame == refusalMark) {
            throw refusal;
        }
        Opcode op = frame.getOpcode();
        if (op == Opcode.BINARY || op == Opcode.CONTINUOUS && binaryMessageBytes >= 0) {
            binaryMessageBytes = (op == Opcode.BINARY ? 0 : binaryMessageBytes) + frame.getPayloadData().remaining();
            check(false, binaryMessageBytes, cap.maxBinaryBytes());
        } else if (op == Opcode.TEXT) {
            binaryMessageBytes = -1; // its continuations are text, checked before allocation
        }
        super.processFrame(webSocketImpl, frame);
    }

    private void check(boolean text, long bytes, long max) throws LimitExceededException {
        if (bytes > max) {
            String why = "sent a " + (text ? "text" : "binary") + " message of "
                    + (bytes == Long.MAX_VALUE ? "more than 2^63" : Long.toString(bytes)) + " bytes, over the "
                    + max + "-byte limit";
            cap.refused(why);
            throw new LimitExceededException(why, (int) Math.min(Integer.MAX_VALUE - 1, max));
        }
    }

    /** A client's frames are masked eight bytes at a time (see {@link MaskedFrames}); a server's are not masked. */
    @Override
    public ByteBuffer createBinaryFrame(Framedata frame) {
        if (frame instanceof PreparedFrame prepared) {
            return ByteBuffer.wrap(prepared.wire());
        }
        if (getRole() != Role.CLIENT) {
            return super.createBinaryFrame(frame);
        }
        getExtension().encodeFrame(frame);
        return MaskedFrames.encode(frame, maskKeys.nextInt());
    }

    @Override
    public void reset() {
        super.reset();
        headers.reset();
        textBefore = false;
        binaryMessageBytes = 0;
    }
}
