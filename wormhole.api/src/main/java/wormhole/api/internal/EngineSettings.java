package wormhole.api.internal;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Set;
import wormhole.api.Feature;

/**
 * Everything a channel engine is configured with; built by {@code Wormhole.Builder}.
 *
 * @param inbox             the folder received files are saved into
 * @param random            the source of SPAKE2 scalars, code words and temporary names
 * @param connectTimeout    how long reaching the rendezvous may take
 * @param handshakeTimeout  how long the key exchange may take once the link is up
 * @param inactivityTimeout how long a channel may stay without any frame before it ends
 * @param features          the features this end offers
 * @param implementation    this end's implementation name for the version message
 * @param inlineTextLimit   the largest text (UTF-8 bytes) reported inline rather than saved
 */
public record EngineSettings(Path inbox, SecureRandom random, Duration connectTimeout, Duration handshakeTimeout,
        Duration inactivityTimeout, Set<Feature> features, String implementation, int inlineTextLimit) {
    /** Copies the set. */
    public EngineSettings {
        features = Set.copyOf(features);
    }
}
