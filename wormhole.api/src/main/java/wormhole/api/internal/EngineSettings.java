package wormhole.api.internal;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import wormhole.api.Feature;
import wormhole.api.spi.Threads;

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
 * @param threads           where the channel's threads come from
 */
public record EngineSettings(Path inbox, SecureRandom random, Duration connectTimeout, Duration handshakeTimeout,
        Duration inactivityTimeout, Set<Feature> features, String implementation, int inlineTextLimit,
        ThreadFactory threads) {
    /** Copies the set. */
    public EngineSettings {
        features = Set.copyOf(features);
        java.util.Objects.requireNonNull(threads, "threads");
    }

    /** Settings whose threads are {@link Threads#daemons()}. */
    public EngineSettings(Path inbox, SecureRandom random, Duration connectTimeout, Duration handshakeTimeout,
            Duration inactivityTimeout, Set<Feature> features, String implementation, int inlineTextLimit) {
        this(inbox, random, connectTimeout, handshakeTimeout, inactivityTimeout, features, implementation,
                inlineTextLimit, Threads.daemons());
    }
}
