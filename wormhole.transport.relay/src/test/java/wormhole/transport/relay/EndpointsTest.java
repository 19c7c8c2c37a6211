package wormhole.transport.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Several relay URLs separated by commas: each checked, every one used in turn from a random start. */
class EndpointsTest {
    @Test
    void aCommaSeparatedListNamesEveryInstanceAndTheSessionGoesRoundThem() throws IOException {
        URI list = URI.create("ws://a.example:4747,ws://b.example:4747/ws,wss://c.example");
        assertTrue(Endpoints.supports(list));
        Endpoints e = Endpoints.of(list);
        assertEquals(3, e.size());
        Set<URI> seen = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            seen.add(e.current().uri());
            e.next();
        }
        assertEquals(Set.of(URI.create("ws://a.example:4747/ws"), URI.create("ws://b.example:4747/ws"),
                URI.create("wss://c.example/ws")), seen);
    }

    @Test
    void theStartIsRandom() throws IOException {
        URI list = URI.create("ws://a.example,ws://b.example");
        Set<URI> starts = new HashSet<>();
        for (int i = 0; i < 200 && starts.size() < 2; i++) {
            starts.add(Endpoints.of(list).current().uri());
        }
        assertEquals(2, starts.size(), "200 sessions all started at the same instance");
    }

    @Test
    void aListWithOnePartThatIsNotARelayUrlIsRefused() {
        assertFalse(Endpoints.supports(URI.create("ws://a.example,tcp://b.example:1")));
        assertFalse(Endpoints.supports(URI.create("ws://a.example,")));
        assertTrue(Endpoints.supports(URI.create("ws://a.example")));
    }
}
