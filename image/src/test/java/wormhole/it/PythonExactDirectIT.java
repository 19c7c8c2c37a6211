package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import wormhole.crypto.FrameSession;
import wormhole.crypto.SharedSecret;
import wormhole.crypto.Side;
import wormhole.crypto.Spake2;

/**
 * Our direct host with a peer scripted byte for byte as agent-wormhole 0.1.5 (Python) behaves in
 * direct mode, through the crypto module's public API only: it sends its SPAKE2 message, reads the
 * host's, sends {@code {"version": 1, "role": "peer"}} and reads the host's version message. The
 * host must not offer it {@code resume}, send it a link control record, or keep its port open.
 */
@Timeout(120)
class PythonExactDirectIT {
    @TempDir
    Path tmp;

    private final Image image = Image.locate();

    private static void write(DataOutputStream out, byte[] frame) throws IOException {
        out.writeInt(frame.length);
        out.write(frame);
        out.flush();
    }

    /** Reads one frame as Python's {@code readexactly(4)} then {@code readexactly(n)} would. */
    private static byte[] read(DataInputStream in) throws IOException {
        int length = in.readInt();
        assertTrue(length >= 0 && length <= 10 * 1024 * 1024, "a frame length Python could read: " + Integer.toHexString(length));
        byte[] frame = new byte[length];
        in.readFully(frame);
        return frame;
    }

    @Test
    void aPythonExactPeerConnectsAsBeforeAndIsNeverOfferedResume() throws Exception {
        try (Pair p = Pair.host(image, tmp); Socket socket = new Socket("127.0.0.1", p.port())) {
            socket.setSoTimeout(20_000);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            Spake2 spake = Spake2.start(Side.PEER, p.code.getBytes(StandardCharsets.UTF_8), new SecureRandom());
            write(out, spake.outboundMessage());
            FrameSession session;
            try (SharedSecret secret = spake.finish(read(in))) {
                session = secret.sessionFor(Side.PEER);
            }
            write(out, session.seal("{\"version\": 1, \"role\": \"peer\"}".getBytes(StandardCharsets.UTF_8)));
            JsonNode version = Json.parse(new String(session.open(read(in)), StandardCharsets.UTF_8));
            List<String> features = new ArrayList<>();
            version.path("features").forEach(f -> features.add(f.asText()));
            assertEquals(1, version.path("version").asInt(), version::toString);
            assertFalse(features.contains("resume"), "offered resume to a version-1 peer: " + version);

            JsonNode connected = Json.parse(p.host.awaitLine(Json.status("connected"), Pair.LINE));
            assertEquals(0, connected.path("features").size(), connected::toString);
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", p.port()).close(),
                    "the port closes once a version-1 peer is in");

            Pair.sent(p.sendFromHost("hello 0.1.5"));
            JsonNode text = Json.parse(new String(session.open(read(in)), StandardCharsets.UTF_8));
            assertEquals("hello 0.1.5", text.path("body").asText(), text::toString);
            write(out, session.seal("{\"type\": \"text\", \"body\": \"hello java\"}".getBytes(StandardCharsets.UTF_8)));
            assertEquals("hello java", Json.parse(p.host.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());

            // Python closes without a goodbye: the host reports it at once, with no resume to wait for.
            socket.shutdownOutput();
            p.host.awaitLine(Json.status("disconnected"), Pair.LINE);
            assertEquals(5, p.host.waitFor(Pair.LINE));
            assertTrue(p.host.linesSoFar().stream().noneMatch(Json.status("reconnecting")), p.host.linesSoFar()::toString);
            session.close();
        }
    }
}
