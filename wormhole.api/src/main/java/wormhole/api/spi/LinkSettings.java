package wormhole.api.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * What the engine asks of every link it opens.
 *
 * @param connectTimeout how long reaching the rendezvous (TCP connect, WebSocket open) may take
 * @param observer       who hears the link's {@link LinkEvent}s
 * @param resumeLimit    how long a link that resumes by itself may try to get a dropped connection
 *                       back before it gives up; {@link Duration#ZERO} for never resuming (a transport
 *                       whose rendezvous sets its own limit, such as a relay's grace period, may
 *                       ignore it)
 * @param threads        where the transport takes its threads from (see {@link Threads}); it names
 *                       each after its job
 */
public record LinkSettings(Duration connectTimeout, LinkObserver observer, Duration resumeLimit,
        ThreadFactory threads) {
    /** The resume limit when none is given: a minute, as a relay's grace period. */
    public static final Duration DEFAULT_RESUME_LIMIT = Duration.ofSeconds(60);

    /** Checks the settings. */
    public LinkSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(resumeLimit, "resumeLimit");
        Objects.requireNonNull(threads, "threads");
        if (resumeLimit.isNegative()) {
            throw new IllegalArgumentException("negative resume limit: " + resumeLimit);
        }
    }

    /**
     * Settings with daemon threads ({@link Threads#daemons()}).
     *
     * @param connectTimeout how long reaching the rendezvous may take
     * @param observer       who hears the link's events
     * @param resumeLimit    how long a link that resumes by itself may try to get a connection back
     */
    public LinkSettings(Duration connectTimeout, LinkObserver observer, Duration resumeLimit) {
        this(connectTimeout, observer, resumeLimit, Threads.daemons());
    }

    /**
     * Settings with the default resume limit and daemon threads.
     *
     * @param connectTimeout how long reaching the rendezvous may take
     * @param observer       who hears the link's events
     */
    public LinkSettings(Duration connectTimeout, LinkObserver observer) {
        this(connectTimeout, observer, DEFAULT_RESUME_LIMIT);
    }
}
