package wormhole.transport.relay;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The relay addresses one session may use: a rendezvous URI, or several separated by commas
 * ({@code ws://a:4747,ws://b:4747}), the instances of one relay that share their channels (through
 * Redis). A session starts at a random one and moves to the next when a connection fails or drops;
 * a resume works at any instance. Not thread-safe: the session uses it from one thread at a time.
 */
final class Endpoints {
    private final List<Endpoint> all;
    private int current;

    private Endpoints(List<Endpoint> all) {
        this.all = all;
        this.current = ThreadLocalRandom.current().nextInt(all.size());
    }

    /** @return whether every comma-separated part is a {@code ws://} or {@code wss://} URI with a host */
    static boolean supports(URI rendezvous) {
        List<URI> parts = parts(rendezvous);
        return !parts.isEmpty() && parts.stream().allMatch(Endpoint::supports);
    }

    static Endpoints of(URI rendezvous) throws IOException {
        List<URI> parts = parts(rendezvous);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("not a ws:// or wss:// URI with a host: " + rendezvous);
        }
        List<Endpoint> all = new ArrayList<>(parts.size());
        for (URI u : parts) {
            all.add(Endpoint.of(u));
        }
        return new Endpoints(List.copyOf(all));
    }

    private static List<URI> parts(URI rendezvous) {
        if (rendezvous == null) {
            return List.of();
        }
        List<URI> out = new ArrayList<>();
        for (String part : rendezvous.toString().split(",", -1)) {
            try {
                out.add(new URI(part.strip()));
            } catch (URISyntaxException e) {
                return List.of();
            }
        }
        return out;
    }

    Endpoint current() {
        return all.get(current);
    }

    /** Moves on to the next address (round the list). */
    void next() {
        current = (current + 1) % all.size();
    }

    int size() {
        return all.size();
    }
}
