package wormhole.transport.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.Opcode;
import org.java_websocket.enums.Role;
import org.java_websocket.framing.Framedata;
import org.java_websocket.framing.FramedataImpl1;
import org.junit.jupiter.api.Test;

/** Client frames masked eight bytes at a time read back, through Java-WebSocket's own decoder, as sent. */
class MaskedFramesTest {
    @Test
    void theRfcsMaskedHelloComesOutByteForByte() {
        // RFC 6455, section 5.7: a single-frame masked text message "Hello" with key 37 fa 21 3d.
        ByteBuffer frame = MaskedFrames.encode(frame(Opcode.TEXT, true, "Hello".getBytes(StandardCharsets.US_ASCII)),
                0x37fa213d);
        byte[] expected = {(byte) 0x81, (byte) 0x85, 0x37, (byte) 0xfa, 0x21, 0x3d, 0x7f, (byte) 0x9f, 0x4d, 0x51, 0x58};
        assertArrayEquals(expected, bytes(frame));
    }

    @Test
    void everyLengthClassAndOpcodeDecodesToWhatWasSent() throws Exception {
        Random random = new Random(7);
        int[] lengths = {0, 1, 3, 7, 8, 9, 15, 16, 17, 125, 126, 127, 65_535, 65_536, 65_537, 1_048_579};
        for (Opcode op : new Opcode[] {Opcode.BINARY, Opcode.TEXT, Opcode.CONTINUOUS}) {
            for (int length : lengths) {
                byte[] payload = new byte[length];
                random.nextBytes(payload);
                if (op == Opcode.TEXT) {
                    java.util.Arrays.fill(payload, (byte) 'a');
                }
                boolean fin = length % 2 == 0;
                Framedata sent = frame(op, fin, payload);
                ByteBuffer wire = MaskedFrames.encode(sent, random.nextInt());
                assertEquals(payload.length, sent.getPayloadData().remaining(), "the payload buffer is left as it was");
                Draft_6455 server = new Draft_6455();
                server.setParseMode(Role.SERVER);
                List<Framedata> got = server.translateFrame(wire);
                assertEquals(1, got.size(), op + " " + length);
                assertEquals(op, got.get(0).getOpcode());
                assertEquals(fin, got.get(0).isFin());
                assertArrayEquals(payload, bytes(got.get(0).getPayloadData()), op + " " + length);
            }
        }
    }

    @Test
    void maskingTwiceGivesBackTheBytesWhateverTheOffset() {
        byte[] key = {1, 2, 3, (byte) 0xF4};
        byte[] original = new byte[100];
        new Random(3).nextBytes(original);
        for (int from = 0; from < 9; from++) {
            byte[] b = original.clone();
            MaskedFrames.mask(b, from, 100 - from, key);
            for (int i = from; i < 100; i++) {
                assertEquals((byte) (original[i] ^ key[(i - from) & 3]), b[i], "byte " + i + " from " + from);
            }
            MaskedFrames.mask(b, from, 100 - from, key);
            assertArrayEquals(original, b);
        }
    }

    @Test
    void aBundledMessageIsOneFrameWhoseFramesComeBackWhole() throws Exception {
        List<byte[]> frames = List.of(new byte[] {1, 2, 3}, new byte[70_000], new byte[0], new byte[] {9});
        new Random(9).nextBytes(frames.get(1));
        for (boolean bundled : new boolean[] {true, false}) {
            List<byte[]> sent = bundled ? frames : List.of(frames.get(1));
            byte[] wire = MaskedFrames.binary(sent, bundled, 0x01020304);
            Framedata got = decodeOne(wire);
            assertEquals(Opcode.BINARY, got.getOpcode());
            assertEquals(true, got.isFin());
            byte[] payload = bytes(got.getPayloadData());
            assertEquals(payload.length, MaskedFrames.payloadLength(wire));
            List<byte[]> back = bundled ? Bundles.unpack(payload, 1 << 20) : List.of(payload);
            assertEquals(sent.size(), back.size());
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), back.get(i), "frame " + i);
            }
        }
    }

    @Test
    void aFrameSentAgainGoesUnderANewKeyWithTheSamePayload() throws Exception {
        byte[] wire = MaskedFrames.binary(List.of(new byte[] {5, 6, 7, 8, 9}), false, 0x11223344);
        byte[] again = MaskedFrames.remasked(wire, 0x55667788);
        assertArrayEquals(new byte[] {0x55, 0x66, 0x77, (byte) 0x88}, java.util.Arrays.copyOfRange(again, 2, 6));
        assertArrayEquals(new byte[] {0x11, 0x22, 0x33, 0x44}, java.util.Arrays.copyOfRange(wire, 2, 6), "the kept frame is untouched");
        assertArrayEquals(new byte[] {5, 6, 7, 8, 9}, bytes(decodeOne(again).getPayloadData()));
    }

    private static Framedata decodeOne(byte[] wire) throws Exception {
        Draft_6455 server = new Draft_6455();
        server.setParseMode(Role.SERVER);
        List<Framedata> got = server.translateFrame(ByteBuffer.wrap(wire));
        assertEquals(1, got.size());
        return got.get(0);
    }

    private static Framedata frame(Opcode op, boolean fin, byte[] payload) {
        FramedataImpl1 f = FramedataImpl1.get(op);
        f.setFin(fin);
        f.setPayload(ByteBuffer.wrap(payload));
        return f;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
