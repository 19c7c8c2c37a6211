package wormhole.api;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import wormhole.api.WormholeException.Failure;
import wormhole.api.internal.ChannelEngine;
import wormhole.api.internal.EngineSettings;
import wormhole.api.internal.ProviderCalls;
import wormhole.api.internal.Transports;
import wormhole.api.spi.HostedLink;
import wormhole.api.spi.LinkSettings;
import wormhole.api.spi.Threads;
import wormhole.api.spi.TransportProvider;

/**
 * Opens channels. A rendezvous URI picks the transport ({@code tcp://0.0.0.0:0} to host directly,
 * {@code tcp://host:port} to reach a direct host, {@code ws://relay:4747} for a relay); transports are
 * found on the module path with {@link java.util.ServiceLoader}. Immutable and thread-safe.
 *
 * <pre>{@code
 * Wormhole wormhole = Wormhole.builder().inbox(folder).build();
 * Channel channel = wormhole.host(URI.create("tcp://0.0.0.0:0"), event -> System.out.println(event));
 * System.out.println(channel.code().text());
 * }</pre>
 *
 * <p>Over 300 lines with its builder, most of them the public API's Javadoc (about 200 of code).
 */
public final class Wormhole {
    /** Text up to this many UTF-8 bytes is reported inline; longer text is saved to a file. */
    public static final int INLINE_TEXT_LIMIT = 1024;

    private final EngineSettings settings;
    private final int codeWords;
    private final Duration resumeLimit;
    private final Transports transports;
    private final wormhole.api.internal.UpgradeSettings upgrades;

    private Wormhole(Builder b) {
        this.resumeLimit = b.resumeLimit;
        this.settings = new EngineSettings(b.inbox, b.random, b.connectTimeout, b.handshakeTimeout,
                b.inactivityTimeout, b.features, b.implementation, INLINE_TEXT_LIMIT, b.threads);
        this.codeWords = b.codeWords;
        this.transports = new Transports();
        this.upgrades = b.upgrade
                ? new wormhole.api.internal.UpgradeSettings(transports.all().stream().map(TransportProvider::directPaths)
                        .flatMap(java.util.Optional::stream).findFirst(), b.upgradePort, b.upgradeHints,
                        wormhole.api.internal.UpgradeSettings.DEFAULT_WINDOW)
                : wormhole.api.internal.UpgradeSettings.NONE;
    }

    /** @return a builder with the defaults of the agent contract */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the names of the transports found on the module path */
    public List<String> transportNames() {
        return transports.all().stream().map(TransportProvider::name).toList();
    }

    /**
     * Hosts a channel: binds or registers at the rendezvous, makes the code from its nameplate, and
     * returns at once; the peer is awaited and the handshake run on the channel's own thread.
     *
     * @param rendezvous where to wait
     * @param listener   who hears the channel's events
     * @return the channel, whose code is known
     * @throws WormholeException when no transport serves the rendezvous, it cannot be bound, or its
     *                           transport fails or gives a malformed nameplate ({@code CONNECTION_FAILED})
     */
    public Channel host(URI rendezvous, ChannelListener listener) throws WormholeException {
        TransportProvider provider = provider(rendezvous);
        AtomicReference<ChannelEngine> engine = new AtomicReference<>();
        LinkSettings link = linkSettings(listener, engine);
        HostedLink hosted = ProviderCalls.host(provider, () -> provider.host(rendezvous, link), false);
        ChannelCode code = ChannelCode.generate(ProviderCalls.nameplate(provider, hosted), codeWords, settings.random());
        engine.set(ChannelEngine.host(hosted, code, settings, upgrades, listener));
        return engine.get();
    }

    /**
     * Hosts a channel under a Python 0.1.x relay code: three words and no nameplate
     * ({@code apple-banana-cherry}), which is both the relay's channel id and the SPAKE2 password, so
     * that a Python 0.1.x peer can join and a Python relay can carry it. The relay sees the whole code
     * and so could learn the password: use it only to reach Python ends.
     *
     * @param rendezvous the relay
     * @param listener   who hears the channel's events
     * @return the channel, whose code is known
     * @throws WormholeException when no transport serves the rendezvous, it cannot host under a chosen
     *                           code (direct TCP), or it cannot be reached
     */
    public Channel hostLegacy(URI rendezvous, ChannelListener listener) throws WormholeException {
        TransportProvider provider = provider(rendezvous);
        ChannelCode code = ChannelCode.generate("", ChannelCode.DEFAULT_WORDS, settings.random());
        AtomicReference<ChannelEngine> engine = new AtomicReference<>();
        LinkSettings link = linkSettings(listener, engine);
        HostedLink hosted = ProviderCalls.host(provider, () -> provider.host(rendezvous, code.channelId(), link), true);
        engine.set(ChannelEngine.host(hosted, code, settings, upgrades, listener));
        return engine.get();
    }

    /**
     * Joins a channel; returns at once, reaching the host and running the handshake on the channel's
     * own thread.
     *
     * @param rendezvous where the host waits
     * @param code       the channel code
     * @param listener   who hears the channel's events
     * @return the channel
     * @throws WormholeException when no transport serves the rendezvous
     */
    public Channel connect(URI rendezvous, ChannelCode code, ChannelListener listener) throws WormholeException {
        TransportProvider provider = provider(rendezvous);
        AtomicReference<ChannelEngine> engine = new AtomicReference<>();
        LinkSettings link = linkSettings(listener, engine);
        engine.set(ChannelEngine.peer(() -> provider.connect(rendezvous, code.channelId(), link), code, settings, upgrades, listener));
        return engine.get();
    }

    private TransportProvider provider(URI rendezvous) throws WormholeException {
        try {
            return transports.forRendezvous(rendezvous);
        } catch (IllegalArgumentException e) {
            throw new WormholeException(Failure.CONNECTION_FAILED, e.getMessage(), e);
        }
    }

    /**
     * Link events go through the channel once it exists, so they are serialised with its other
     * events; before that (a relay host registering) nothing else can be reported concurrently.
     */
    private LinkSettings linkSettings(ChannelListener listener, AtomicReference<ChannelEngine> engine) {
        return new LinkSettings(settings.connectTimeout(), (event, detail) -> {
            ChannelEngine e = engine.get();
            if (e != null) {
                e.linkEvent(event, detail);
            } else {
                listener.onEvent(new ChannelEvent.Link(event, detail));
            }
        }, resumeLimit, settings.threads());
    }

    /** Configures a {@link Wormhole}; every setting has the agent contract's default. */
    public static final class Builder {
        private Path inbox = Path.of(System.getProperty("java.io.tmpdir"), "agent-wormhole-inbox");
        private SecureRandom random = new SecureRandom();
        private Duration connectTimeout = Duration.ofSeconds(15);
        private Duration handshakeTimeout = Duration.ofSeconds(30);
        private Duration inactivityTimeout = Duration.ofHours(1);
        private Set<Feature> features = EnumSet.allOf(Feature.class);
        private String implementation = "agent-wormhole-java";
        private int codeWords = ChannelCode.DEFAULT_WORDS;
        private Duration resumeLimit = LinkSettings.DEFAULT_RESUME_LIMIT;
        private ThreadFactory threads = Threads.daemons();
        private boolean upgrade = true;
        private int upgradePort;
        private List<String> upgradeHints = List.of();

        private Builder() {
        }

        /**
         * @param folder where received files and long texts are saved (created 0700 when needed)
         * @return this builder
         */
        public Builder inbox(Path folder) {
            this.inbox = Objects.requireNonNull(folder);
            return this;
        }

        /**
         * @param random the source of SPAKE2 scalars, code words and temporary names
         * @return this builder
         */
        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random);
            return this;
        }

        /**
         * @param timeout how long reaching the rendezvous or the host may take (default 15 s)
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout);
            return this;
        }

        /**
         * @param timeout how long the key exchange may take once linked (default 30 s)
         * @return this builder
         */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = positive(timeout);
            return this;
        }

        /**
         * @param timeout how long a channel may stay without traffic before it closes (default 1 h)
         * @return this builder
         */
        public Builder inactivityTimeout(Duration timeout) {
            this.inactivityTimeout = positive(timeout);
            return this;
        }

        /**
         * @param limit how long a link that resumes by itself (direct TCP) tries to get a dropped
         *              connection back before the channel ends (default 60 s); zero never resumes
         * @return this builder
         */
        public Builder resumeLimit(Duration limit) {
            if (limit.isNegative()) {
                throw new IllegalArgumentException("a resume limit cannot be negative");
            }
            this.resumeLimit = limit;
            return this;
        }

        /**
         * @param offered the features this end offers (default: all it knows); an empty set makes it
         *                behave like a version-1 Python end
         * @return this builder
         */
        public Builder features(Set<Feature> offered) {
            this.features = offered.isEmpty() ? EnumSet.noneOf(Feature.class) : EnumSet.copyOf(offered);
            return this;
        }

        /**
         * @param name the implementation name sent in the version message
         * @return this builder
         */
        public Builder implementation(String name) {
            this.implementation = Objects.requireNonNull(name);
            return this;
        }

        /**
         * @param words how many words a hosted code gets (2 to 16; default 3, 24 bits)
         * @return this builder
         */
        public Builder codeWords(int words) {
            if (words < 2 || words > 16) {
                throw new IllegalArgumentException("a code has 2 to 16 words");
            }
            this.codeWords = words;
            return this;
        }

        /**
         * Where every thread of the engine and of the transports comes from, as
         * {@code HttpClient.Builder.executor} for the JDK's client: a channel runs a few threads of its own
         * (docs/threads.md lists them), each named after its job once made. The threads should be
         * daemons, or an open channel keeps the process alive.
         *
         * @param factory the thread factory (default {@link Threads#daemons()})
         * @return this builder
         */
        public Builder threads(ThreadFactory factory) {
            this.threads = Objects.requireNonNull(factory);
            return this;
        }

        /**
         * Whether a channel that meets through a relay may move to a direct connection when both ends
         * can reach each other (on by default). Off, this end never offers it: it never listens and
         * never sends its addresses to the peer.
         *
         * @param allowed whether to offer the upgrade
         * @return this builder
         */
        public Builder upgrade(boolean allowed) {
            this.upgrade = allowed;
            return this;
        }

        /**
         * The port an upgrading channel listens on for the peer's direct connection (default 0: any
         * free port), e.g. one a NAT forwards to this machine.
         *
         * @param port 0 to 65535
         * @return this builder
         */
        public Builder upgradePort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("a port is 0 to 65535");
            }
            this.upgradePort = port;
            return this;
        }

        /**
         * The {@code host:port} addresses an upgrading channel gives the peer instead of this
         * machine's own (e.g. a public address a NAT forwards to {@link #upgradePort}); empty (the
         * default) for this machine's own.
         *
         * @param hints the addresses, at most 16
         * @return this builder
         */
        public Builder upgradeHints(List<String> hints) {
            if (hints.size() > 16) {
                throw new IllegalArgumentException("at most 16 hints");
            }
            this.upgradeHints = List.copyOf(hints);
            return this;
        }

        /** @return the configured wormhole */
        public Wormhole build() {
            return new Wormhole(this);
        }

        private static Duration positive(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("a time-out must be positive");
            }
            return d;
        }
    }
}
