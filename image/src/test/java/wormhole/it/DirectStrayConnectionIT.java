package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A direct host's port as a network treats it: stray connections before the real peer cost the
 * channel nothing; only a well-formed peer with the wrong code spends it.
 */
@Timeout(180)
class DirectStrayConnectionIT {
    private static final Duration EXIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private final Image image = Image.locate();

    /** Throws every kind of stray at the port; the 50 idle connections stay open until closed. */
    static Strays strayAt(int port) throws Exception {
        Strays strays = new Strays(port);
        strays.connectAndClose();
        strays.randomBytes();
        strays.httpGet();
        strays.tlsClientHello();
        strays.idleConnections(50);
        return strays;
    }

    @Test
    void strayConnectionsBeforeThePeerCostNothingAndThePeerExchangesTextAndAFile() throws Exception {
        try (Pair p = Pair.host(image, tmp); Strays strays = strayAt(p.port())) {
            p.connectPeer(p.code + "@127.0.0.1");
            p.host.awaitLine(Json.status("connected"), Pair.LINE);
            p.peer.awaitLine(Json.status("connected"), Pair.LINE);
            assertEquals(50, strays.idleDropped(), "every idle stray is dropped");

            Pair.sent(p.sendFromHost("through the noise"));
            assertEquals("through the noise", Json.parse(p.peer.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());
            Path file = tmp.resolve("after-strays.txt");
            Files.writeString(file, "file contents\n".repeat(1000));
            Pair.sent(p.sendFromPeer("--file", file.toString()));
            JsonNode got = Json.parse(p.host.awaitLine(Json.type("file"), Pair.LINE));
            assertEquals(Files.readString(file), Files.readString(Path.of(got.path("saved_to").asText())));
            for (List<String> lines : List.of(p.host.linesSoFar(), p.peer.linesSoFar())) {
                assertTrue(lines.stream().noneMatch(Json.status("handshake_failed")), lines::toString);
            }
        }
    }

    @Test
    void aWellFormedPeerWithTheWrongCodeStillSpendsTheChannelAfterStrays() throws Exception {
        try (Pair p = Pair.host(image, tmp); Strays strays = strayAt(p.port())) {
            String[] parts = p.code.split("-");
            String wrong = parts[0] + "-" + (parts[1].equals("apple") ? "basil" : "apple") + "-" + parts[2] + "-" + parts[3];
            p.connectPeer(wrong + "@127.0.0.1");
            p.host.awaitLine(Json.status("handshake_failed"), Pair.LINE);
            p.peer.awaitLine(Json.status("handshake_failed"), Pair.LINE);
            assertEquals(3, p.host.waitFor(EXIT));
            assertEquals(3, p.peer.waitFor(EXIT));
            assertEquals(50, strays.idleDropped(), "every idle stray is dropped");

            // The one guess is spent: the right code finds nobody.
            Image.Result late = p.image.command("connect", p.code + "@127.0.0.1")
                    .env("XDG_RUNTIME_DIR", p.peerRuntime.toString()).run();
            assertEquals(4, late.exitCode(), late::toString);
        }
    }
}
