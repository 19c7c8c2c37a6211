package wormhole.relayserver.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.Opcode;
import org.java_websocket.enums.Role;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.InvalidFrameException;
import org.java_websocket.exceptions.LimitExceededException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.framing.FramedataImpl1;
import org.junit.jupiter.api.Test;

/** Frames written by Java-WebSocket's own client read back whole, however the reads cut them. */
class FrameReaderTest {
    private final List<String> gateCalls = new ArrayList<>();
    private final FrameReader.Gate gate = new FrameReader.Gate() {
        @Override
        public void admit(int opcode, long length) throws InvalidDataException {
            gateCalls.add("admit " + opcode + " " + length);
            if (length == 666) {
                throw new LimitExceededException("refused by the gate", 665);
            }
        }

        @Override
        public void arrived() {
            gateCalls.add("arrived");
        }
    };

    @Test
    void everyFrameOfAStreamArrivesWholeWhereverTheReadsCutIt() throws Exception {
        Random random = new Random(11);
        List<Framedata> sent = new ArrayList<>();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        int[] lengths = {0, 1, 5, 8, 13, 125, 126, 127, 4096, 65_535, 65_536, 65_541, 300_007};
        for (int length : lengths) {
            byte[] payload = new byte[length];
            random.nextBytes(payload);
            Framedata f = frame(Opcode.BINARY, length % 3 != 0, payload);
            sent.add(f);
            wire.write(clientFrameBytes(f));
            Framedata ping = frame(Opcode.PING, true, new byte[] {1, 2, 3});
            sent.add(ping);
            wire.write(clientFrameBytes(ping));
        }
        byte[] all = wire.toByteArray();
        for (int read : new int[] {1, 2, 3, 7, 14, 1000, 16_384, all.length}) {
            FrameReader reader = new FrameReader(gate, 1 << 20);
            List<Framedata> got = new ArrayList<>();
            for (int at = 0; at < all.length; at += read) {
                ByteBuffer chunk = ByteBuffer.wrap(all, at, Math.min(read, all.length - at));
                got.addAll(reader.read(chunk));
                assertEquals(0, chunk.remaining(), "every byte is read");
            }
            assertEquals(sent.size(), got.size(), "reads of " + read);
            for (int i = 0; i < sent.size(); i++) {
                assertEquals(sent.get(i).getOpcode(), got.get(i).getOpcode());
                assertEquals(sent.get(i).isFin(), got.get(i).isFin());
                assertArrayEquals(bytes(sent.get(i).getPayloadData()), bytes(got.get(i).getPayloadData()),
                        "frame " + i + ", reads of " + read);
            }
        }
    }

    @Test
    void theGateHearsTheHeaderBeforeAnyPayloadAndItsRefusalStops() throws Exception {
        FrameReader reader = new FrameReader(gate, 1 << 20);
        ByteBuffer header = ByteBuffer.wrap(clientFrameBytes(frame(Opcode.BINARY, true, new byte[666])), 0, 2 + 2 + 4);
        assertThrows(LimitExceededException.class, () -> reader.read(header));
        assertEquals(List.of("admit 2 666"), gateCalls);

        gateCalls.clear();
        new FrameReader(gate, 1 << 20).read(ByteBuffer.wrap(clientFrameBytes(
                frame(Opcode.TEXT, true, "hi".getBytes(StandardCharsets.UTF_8)))));
        assertEquals(List.of("admit 1 2", "arrived"), gateCalls);
    }

    @Test
    void anUnmaskedFrameIsReadAsTheLibraryReadsIt() throws Exception {
        Draft_6455 server = new Draft_6455();
        server.setParseMode(Role.SERVER);
        ByteBuffer unmasked = server.createBinaryFrame(frame(Opcode.BINARY, true, new byte[] {9, 8, 7}));
        List<Framedata> got = new FrameReader(gate, 100).read(unmasked);
        assertArrayEquals(new byte[] {9, 8, 7}, bytes(got.get(0).getPayloadData()));
    }

    @Test
    void framesTheLibraryWouldRefuseAreRefused() {
        byte[] reservedBit = {(byte) 0xC2, (byte) 0x80, 0, 0, 0, 0};
        byte[] unknownOpcode = {(byte) 0x83, (byte) 0x80, 0, 0, 0, 0};
        byte[] longPing = {(byte) 0x89, (byte) 0xFE, 0, 126, 0, 0, 0, 0};
        byte[] fragmentedPing = {(byte) 0x09, (byte) 0x80, 0, 0, 0, 0};
        byte[] badUtf8 = {(byte) 0x81, (byte) 0x81, 0, 0, 0, 0, (byte) 0xFF};
        for (byte[] bad : List.of(reservedBit, unknownOpcode, longPing, fragmentedPing, badUtf8)) {
            InvalidDataException e = assertThrows(InvalidDataException.class,
                    () -> new FrameReader(gate, 1 << 20).read(ByteBuffer.wrap(bad)));
            assertTrue(e instanceof InvalidFrameException || e.getCloseCode() == CloseFrame.NO_UTF8, e::toString);
        }
        byte[] huge = {(byte) 0x82, (byte) 0xFF, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThrows(LimitExceededException.class, () -> new FrameReader(gate, 1 << 20).read(ByteBuffer.wrap(huge)));
        assertTrue(gateCalls.contains("admit 2 " + Long.MAX_VALUE), "a length of 2^63 or more reaches the gate as the largest");
        byte[] overTheMax = clientFrameBytes(frame(Opcode.BINARY, true, new byte[101]));
        assertThrows(LimitExceededException.class, () -> new FrameReader(gate, 100).read(ByteBuffer.wrap(overTheMax)));
    }

    private static Framedata frame(Opcode op, boolean fin, byte[] payload) {
        FramedataImpl1 f = FramedataImpl1.get(op);
        f.setFin(fin);
        f.setPayload(ByteBuffer.wrap(payload));
        return f;
    }

    /** The frame as the library's client writes it (which consumes a copy of the payload, not the frame's own). */
    private static byte[] clientFrameBytes(Framedata f) {
        Draft_6455 client = new Draft_6455();
        client.setParseMode(Role.CLIENT);
        FramedataImpl1 copy = FramedataImpl1.get(f.getOpcode());
        copy.setFin(f.isFin());
        copy.setPayload(f.getPayloadData().duplicate());
        return bytes(client.createBinaryFrame(copy));
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
