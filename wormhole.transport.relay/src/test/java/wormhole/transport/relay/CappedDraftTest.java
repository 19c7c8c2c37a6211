package wormhole.transport.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.LimitExceededException;
import org.java_websocket.framing.Framedata;
import org.junit.jupiter.api.Test;

/** The draft's cap on its own: headers read before anything is allocated, across reads and fragments. */
class CappedDraftTest {
    private static final class FixedCap implements CappedDraft.Cap {
        long max = 1024;
        final List<String> refusals = new ArrayList<>();

        @Override
        public long maxBinaryBytes() {
            return max;
        }

        @Override
        public long binaryCeiling() {
            return 10 * 1024 * 1024 + 64;
        }

        @Override
        public long maxTextBytes() {
            return 4096;
        }

        @Override
        public void refused(String why) {
            refusals.add(why);
        }
    }

    private final FixedCap cap = new FixedCap();
    /** As Java-WebSocket uses it: a copy per connection. */
    private final Draft draft = new CappedDraft(cap).copyInstance();

    /** An unmasked server frame header: FIN/opcode byte, then the length in 7, 7+16 or 7+64 bits. */
    private static byte[] header(int opcode, boolean fin, long length) {
        ByteBuffer b = ByteBuffer.allocate(10);
        b.put((byte) ((fin ? 0x80 : 0) | opcode));
        if (length < 126) {
            b.put((byte) length);
        } else if (length <= 0xffff) {
            b.put((byte) 126).putShort((short) length);
        } else {
            b.put((byte) 127).putLong(length);
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    private static byte[] frame(int opcode, boolean fin, byte[] payload) {
        byte[] h = header(opcode, fin, payload.length);
        return ByteBuffer.allocate(h.length + payload.length).put(h).put(payload).array();
    }

    @Test
    void aGigabyteHeaderIsRefusedWithoutAllocatingItsPayload() {
        // Under the module's -Xmx256m, allocating for this length would be an OutOfMemoryError.
        assertTrue(Runtime.getRuntime().maxMemory() < 1L << 30, "the test heap must be too small for 1 GiB: "
                + Runtime.getRuntime().maxMemory());
        byte[] header = header(2, true, 1L << 30);
        LimitExceededException e = assertRefused(header);
        assertEquals(1009, e.getCloseCode());
        assertEquals(List.of("sent a binary message of 1073741824 bytes, over the 1024-byte limit"), cap.refusals);
    }

    @Test
    void aHeaderSplitAcrossReadsIsStillRead() {
        byte[] header = header(2, true, 5000);
        for (int i = 0; i < header.length - 1; i++) {
            assertEquals(List.of(), assertDoesNotThrowTranslate(new byte[] {header[i]}));
        }
        assertRefused(new byte[] {header[header.length - 1]});
    }

    @Test
    void aMessageAtTheCapPassesAndItsPayloadArrives() {
        byte[] payload = new byte[1024];
        payload[1023] = 7;
        List<Framedata> frames = assertDoesNotThrowTranslate(frame(2, true, payload));
        assertEquals(1, frames.size());
        byte[] got = new byte[frames.get(0).getPayloadData().remaining()];
        frames.get(0).getPayloadData().get(got);
        assertArrayEquals(payload, got);
        assertEquals(List.of(), cap.refusals);
    }

    @Test
    void fragmentsCountTowardsTheWholeMessage() {
        assertDoesNotThrowTranslate(frame(2, false, new byte[600]));
        assertRefused(header(0, true, 600));
        assertEquals(List.of("sent a binary message of 1200 bytes, over the 1024-byte limit"), cap.refusals);
    }

    @Test
    void textHasItsOwnSmallerCap() {
        cap.max = 1 << 20;
        assertRefused(header(1, true, 4097));
        assertEquals(List.of("sent a text message of 4097 bytes, over the 4096-byte limit"), cap.refusals);
    }

    @Test
    void aLengthBeyond63BitsIsRefused() {
        byte[] h = header(2, true, 1L << 40);
        h[2] = (byte) 0x80; // the most significant bit, which RFC 6455 forbids
        assertRefused(h);
        assertTrue(cap.refusals.get(0).contains("more than 2^63"), cap.refusals.toString());
    }

    @Test
    void framesBeforeTheRefusedOneInTheSameReadAreHandedOnFirst() throws Exception {
        byte[] ok = frame(2, true, new byte[10]);
        byte[] bad = header(2, true, 1L << 30);
        List<Framedata> frames = draft.translateFrame(ByteBuffer.wrap(ByteBuffer.allocate(ok.length + bad.length).put(ok).put(bad).array()));
        assertEquals(2, frames.size(), "the good frame, then the mark of the refusal");
        assertEquals(10, frames.get(0).getPayloadData().remaining());
        assertThrows(LimitExceededException.class, () -> draft.processFrame(null, frames.get(1)));
    }

    /** The draft hands on a mark in place of the refused frame, and handling the mark refuses. */
    private LimitExceededException assertRefused(byte[] bytes) {
        List<Framedata> frames = assertDoesNotThrowTranslate(bytes);
        assertEquals(1, frames.size(), frames.toString());
        return assertThrows(LimitExceededException.class, () -> draft.processFrame(null, frames.get(0)));
    }

    private List<Framedata> assertDoesNotThrowTranslate(byte[] bytes) {
        try {
            return draft.translateFrame(ByteBuffer.wrap(bytes));
        } catch (Exception e) {
            throw new AssertionError("refused: " + e, e);
        }
    }
}
