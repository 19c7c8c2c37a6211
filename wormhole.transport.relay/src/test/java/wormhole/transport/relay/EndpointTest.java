package wormhole.transport.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rendezvous URIs: the default path, the trust option, and what is refused. */
class EndpointTest {
    @Test
    void thePathWsIsAddedWhenAbsent() throws IOException {
        assertEquals(URI.create("ws://relay.example:4747/ws"), Endpoint.of(URI.create("ws://relay.example:4747")).uri());
        assertEquals(URI.create("ws://relay.example:4747/ws"), Endpoint.of(URI.create("ws://relay.example:4747/")).uri());
        assertEquals(URI.create("ws://relay.example/custom"), Endpoint.of(URI.create("ws://relay.example/custom")).uri());
        assertNull(Endpoint.of(URI.create("ws://relay.example")).tls());
    }

    @Test
    void wssUsesTheSystemTrustStoreByDefault() throws IOException {
        Endpoint e = Endpoint.of(URI.create("WSS://relay.example"));
        assertEquals(URI.create("wss://relay.example/ws"), e.uri());
        assertNotNull(e.tls());
    }

    @Test
    void theTrustParameterIsTakenOutOfTheUriAndMustNameARealCertificate(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("missing.pem");
        IOException e = assertThrows(IOException.class,
                () -> Endpoint.of(URI.create("wss://relay.example/ws?trust=" + missing + "&x=1")));
        assertTrue(e.getMessage().contains("missing.pem"), e.getMessage());
        Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate");
        assertThrows(IOException.class, () -> Endpoint.of(URI.create("wss://relay.example/ws?trust=" + junk)));
        // A ws URI keeps its other parameters and drops ours.
        assertEquals(URI.create("ws://relay.example/ws?x=1"),
                Endpoint.of(URI.create("ws://relay.example/ws?trust=" + junk + "&x=1")).uri());
    }

    @Test
    void otherSchemesAreNotServed() {
        assertTrue(!Endpoint.supports(URI.create("tcp://relay.example:4747")));
        assertTrue(!Endpoint.supports(URI.create("ws:relative")));
        assertThrows(IllegalArgumentException.class, () -> Endpoint.of(URI.create("http://relay.example")));
    }
}
