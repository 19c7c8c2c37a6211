package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our direct host with the real Python agent-wormhole 0.1.5 as its peer ({@code agent-wormhole-py
 * connect CODE@127.0.0.1}), after stray connections: the Python peer sends its SPAKE2 message first,
 * so it passes the host's screening, connects as before and is offered nothing of ours.
 */
@Timeout(180)
class PythonDirectIT {
    /** The reference, a sibling of the project's folder: {@code ../shared/reference}. */
    private static final Path REFERENCE = projectRoot().resolveSibling("shared").resolve("reference");
    private static final Path PYTHON_CLI = REFERENCE.resolve("bin").resolve("agent-wormhole-py");

    @TempDir
    Path tmp;

    private final Image image = Image.locate();

    private static Path projectRoot() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("image")) ? here : here.getParent();
    }

    @BeforeEach
    void needsTheReference() {
        Assumptions.assumeTrue(Files.isExecutable(PYTHON_CLI) && Files.isExecutable(Path.of("/usr/bin/python3")),
                "the Python reference is not installed at " + REFERENCE
                        + " (with python3): run ../shared/reference/setup.sh to install it");
    }

    private Image.Command python(Path pyTmp, String... args) throws Exception {
        Files.createDirectories(pyTmp);
        return Image.program(PYTHON_CLI, args).env("TMPDIR", pyTmp.toString());
    }

    @Test
    void thePythonPeerConnectsAfterStraysExchangesTextBothWaysAndIsOfferedNothing() throws Exception {
        Path pyTmp = tmp.resolve("python-tmp");
        try (Pair p = Pair.host(image, tmp); Strays strays = DirectStrayConnectionIT.strayAt(p.port())) {
            p.peer = python(pyTmp, "connect", p.code + "@127.0.0.1").start();
            JsonNode connected = Json.parse(p.host.awaitLine(Json.status("connected"), Pair.LINE));
            p.peer.awaitLine(Json.status("connected"), Pair.LINE);
            assertEquals(0, connected.path("features").size(), "a Python peer shares no feature: " + connected);
            assertFalse(connected.has("peer"), "Python 0.1.x names no implementation: " + connected);
            // Never offered resume: the host's port closes at once, as with a single accept.
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", p.port()).close());

            Pair.sent(p.sendFromHost("hello python"));
            assertEquals("hello python", Json.parse(p.peer.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());

            Path file = tmp.resolve("for-python.txt");
            Files.writeString(file, "a small file for the reference\n");
            Pair.sent(p.sendFromHost("--file", file.toString()));
            JsonNode pyFile = Json.parse(p.peer.awaitLine(Json.type("file"), Pair.LINE));
            assertEquals(Files.readString(file), Files.readString(Path.of(pyFile.path("saved_to").asText())));

            // 0.1.5 finds the role by an outbox file that exists only after a first send: name it.
            Image.Result sent = python(pyTmp, "send", p.code, "hello java", "--role", "peer").timeout(Duration.ofSeconds(30)).run();
            assertEquals(0, sent.exitCode(), sent::toString);
            assertEquals("hello java", Json.parse(p.host.awaitLine(Json.type("text"), Pair.LINE)).path("body").asText());
            assertEquals(50, strays.idleDropped());

            // Python has no goodbye: closing our end ends its link.
            Image.Result close = image.command("close", p.code).env("XDG_RUNTIME_DIR", p.hostRuntime.toString()).run();
            assertEquals(0, close.exitCode(), close::toString);
            p.peer.awaitLine(Json.status("disconnected"), Pair.LINE);
            assertTrue(p.host.linesSoFar().stream().noneMatch(Json.status("handshake_failed")));
        }
    }
}
