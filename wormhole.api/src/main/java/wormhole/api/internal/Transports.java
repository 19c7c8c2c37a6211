package wormhole.api.internal;

import java.net.URI;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import wormhole.api.spi.TransportProvider;

/** The transport providers on the module path, found once with {@link ServiceLoader}. */
public final class Transports {
    private final List<TransportProvider> providers;

    /** Loads the providers visible to this module. */
    public Transports() {
        this.providers = ServiceLoader.load(TransportProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .collect(Collectors.toUnmodifiableList());
    }

    /** @return the providers, in module-path order */
    public List<TransportProvider> all() {
        return providers;
    }

    /**
     * @param rendezvous a rendezvous URI
     * @return the first provider that serves it
     * @throws IllegalArgumentException when none does; the message lists what is available
     */
    public TransportProvider forRendezvous(URI rendezvous) {
        for (TransportProvider p : providers) {
            if (p.supports(rendezvous)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no transport serves '" + rendezvous.getScheme() + ":' rendezvous (available: "
                + providers.stream().map(TransportProvider::name).collect(Collectors.joining(", ")) + ")");
    }
}
