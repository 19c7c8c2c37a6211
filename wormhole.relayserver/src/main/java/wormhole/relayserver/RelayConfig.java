package wormhole.relayserver;

import java.io.PrintStream;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import wormhole.relayserver.internal.AddressRange;
import wormhole.relayserver.internal.RedisAddress;

/**
 * Everything a {@link RelayServer} can be told: where it listens, every limit it enforces, and how
 * it logs. Defaults are the reference relay's; build one with {@link #builder()}. Rates are counted
 * per channel over {@link #rateWindow()} (one minute by default), so tests can shorten the window.
 *
 * <p>Over 300 lines, most of them this list and the builder's one setter per limit: one record
 * keeps every limit of the relay in one place, validated together.
 *
 * @param bindAddress          address the WebSocket server binds, such as {@code 0.0.0.0}
 * @param port                 WebSocket port; 0 picks a free one
 * @param adminBindAddress     address of the plain-HTTP admin endpoint (health and counters)
 * @param adminPort            admin port; 0 picks a free one, -1 turns the endpoint off
 * @param maxFrameBytes        the largest frame a channel carries (a binary message may exceed it by
 *                             {@link #FRAMING_ALLOWANCE} bytes of client framing)
 * @param framesPerWindow      binary messages a channel may carry per window, both ways together
 * @param bytesPerWindow       bytes a channel may carry per window, both ways together
 * @param rateWindow           the window the two rates above are counted over
 * @param inactivityTimeout    a channel with no frame or keepalive for this long is closed
 * @param maxChannelsPerAddress live channels one source address may take part in
 * @param failedJoinsPerWindow failed joins one channel id may see per window before joins of that
 *                             id are refused for the rest of the window
 * @param bufferBytes          bytes held per channel direction (frames not yet delivered or not yet
 *                             confirmed, for replay after a reconnect); also the cap on one
 *                             connection's unsent output
 * @param maxBufferedBytes     bytes held across all channels; past it new frames are refused
 * @param resumeGrace          how long a side that dropped may take to resume before the channel ends
 * @param joinTimeout          how long a new connection may take to send its join or resume
 * @param pingInterval         WebSocket ping interval that detects dead connections
 * @param maxConnections       live TCP connections in total; past it new ones are closed at once
 * @param maxConnectionsPerAddress live TCP connections from one client address
 * @param upgradeTimeout       how long a new TCP connection may take to finish its WebSocket upgrade
 *                             (and its TLS handshake)
 * @param maxJoinMessageBytes  the largest message a connection may send before its join or resume
 * @param unpairedBytesPerAddress bytes one client address may have held in channels that have no
 *                             peer yet (a Python host sends its first frames before its peer joins);
 *                             also the largest message before pairing
 * @param failedJoinsPerAddress failed joins (unknown channel, full, host exists) one client address
 *                             may make per window before its joins are refused for the rest of it
 * @param trustedProxies       address ranges (CIDR) of proxies whose {@code X-Forwarded-For} names the
 *                             client address; empty to believe no one
 * @param maxIncomingBytes     memory for large messages on their way in (the WebSocket layer holds a
 *                             whole message from its first byte); one client address may use a quarter
 *                             of it, or one full message if that is more
 * @param verbose              log every channel's life (never codes, tokens or payloads)
 * @param log                  where log lines go
 * @param clock                time source for every limit (tests pass their own)
 * @param tlsContext           when not null, the relay serves {@code wss://} with this TLS identity
 *                             (see {@link RelayTls}); null serves plain {@code ws://}
 * @param redis                when not null ({@code redis://[[user]:password@]host:port[/db]} or
 *                             {@code rediss://...[?trust=PEM]}, the PEM file's certificates then being the
 *                             only ones trusted, host names still checked), the relay keeps its channels in
 *                             this Redis and shares them with every other relay pointed at it; null keeps
 *                             them in memory
 */
public record RelayConfig(
        String bindAddress,
        int port,
        String adminBindAddress,
        int adminPort,
        int maxFrameBytes,
        int framesPerWindow,
        long bytesPerWindow,
        Duration rateWindow,
        Duration inactivityTimeout,
        int maxChannelsPerAddress,
        int failedJoinsPerWindow,
        long bufferBytes,
        long maxBufferedBytes,
        Duration resumeGrace,
        Duration joinTimeout,
        Duration pingInterval,
        int maxConnections,
        int maxConnectionsPerAddress,
        Duration upgradeTimeout,
        int maxJoinMessageBytes,
        long unpairedBytesPerAddress,
        int failedJoinsPerAddress,
        List<String> trustedProxies,
        long maxIncomingBytes,
        boolean verbose,
        Consumer<String> log,
        Clock clock,
        SSLContext tlsContext,
        URI redis) {

    /** The default WebSocket port. */
    public static final int DEFAULT_PORT = 4747;
    /** The default admin port. */
    public static final int DEFAULT_ADMIN_PORT = 4748;
    /** Bytes a binary message may carry beyond {@link #maxFrameBytes()}, for a client's own framing. */
    public static final int FRAMING_ALLOWANCE = 64;

    /** Checks the settings. */
    public RelayConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(adminBindAddress, "adminBindAddress");
        Objects.requireNonNull(rateWindow, "rateWindow");
        Objects.requireNonNull(inactivityTimeout, "inactivityTimeout");
        Objects.requireNonNull(resumeGrace, "resumeGrace");
        Objects.requireNonNull(joinTimeout, "joinTimeout");
        Objects.requireNonNull(pingInterval, "pingInterval");
        Objects.requireNonNull(upgradeTimeout, "upgradeTimeout");
        trustedProxies = List.copyOf(trustedProxies);
        trustedProxies.forEach(AddressRange::parse);
        requireRange("maxConnections", maxConnections, 1, Integer.MAX_VALUE);
        requireRange("maxConnectionsPerAddress", maxConnectionsPerAddress, 1, Integer.MAX_VALUE);
        requireRange("maxJoinMessageBytes", maxJoinMessageBytes, 256, 1 << 20);
        requireRange("unpairedBytesPerAddress", unpairedBytesPerAddress, 1024, Long.MAX_VALUE);
        requireRange("failedJoinsPerAddress", failedJoinsPerAddress, 1, Integer.MAX_VALUE);
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(clock, "clock");
        if (redis != null) {
            RedisAddress.parse(redis); // a clear IllegalArgumentException now rather than at start
        }
        requireRange("port", port, 0, 65535);
        requireRange("adminPort", adminPort, -1, 65535);
        requireRange("maxFrameBytes", maxFrameBytes, 1, Integer.MAX_VALUE - FRAMING_ALLOWANCE);
        requireRange("framesPerWindow", framesPerWindow, 1, Integer.MAX_VALUE);
        requireRange("maxChannelsPerAddress", maxChannelsPerAddress, 1, Integer.MAX_VALUE);
        requireRange("failedJoinsPerWindow", failedJoinsPerWindow, 1, Integer.MAX_VALUE);
        if (bytesPerWindow < maxMessageBytes(maxFrameBytes)) {
            throw new IllegalArgumentException("bytesPerWindow must allow at least one full frame");
        }
        if (bufferBytes < maxMessageBytes(maxFrameBytes)) {
            throw new IllegalArgumentException("bufferBytes must hold at least one full frame");
        }
        if (maxIncomingBytes < maxMessageBytes(maxFrameBytes)) {
            throw new IllegalArgumentException("maxIncomingBytes must hold at least one full frame");
        }
        if (maxBufferedBytes < bufferBytes) {
            throw new IllegalArgumentException("maxBufferedBytes must be at least bufferBytes");
        }
        for (Duration d : new Duration[] {rateWindow, inactivityTimeout, resumeGrace, joinTimeout, pingInterval,
                upgradeTimeout}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("durations must be positive");
            }
        }
    }

    /** Every setting, as a record shows them, except that the Redis URL's credentials are left out. */
    @Override
    public String toString() {
        StringJoiner all = new StringJoiner(", ", "RelayConfig[", "]");
        for (RecordComponent c : RelayConfig.class.getRecordComponents()) {
            Object value;
            try {
                value = c.getAccessor().invoke(this);
            } catch (ReflectiveOperationException e) {
                value = "?";
            }
            if (value instanceof URI uri && uri.getRawUserInfo() != null) {
                value = uri.getScheme() + "://***@" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                        + (uri.getRawPath() == null ? "" : uri.getRawPath());
            }
            all.add(c.getName() + "=" + value);
        }
        return all.toString();
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the largest binary message the relay accepts: a full frame plus the framing allowance */
    public int maxMessageBytes() {
        return maxMessageBytes(maxFrameBytes);
    }

    /** @return how much of {@link #maxIncomingBytes()} one client address may use */
    public long incomingBytesPerAddress() {
        return Math.max(maxMessageBytes(), maxIncomingBytes / 4);
    }

    private static int maxMessageBytes(int maxFrameBytes) {
        return maxFrameBytes + FRAMING_ALLOWANCE;
    }

    private static void requireRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max);
        }
    }

    /** Builds a {@link RelayConfig}; every setter is optional and starts at the reference's default. */
    public static final class Builder {
        private String bindAddress = "0.0.0.0";
        private int port = DEFAULT_PORT;
        private String adminBindAddress = "127.0.0.1";
        private int adminPort = DEFAULT_ADMIN_PORT;
        private int maxFrameBytes = 10 * 1024 * 1024;
        private int framesPerWindow = 60;
        private long bytesPerWindow = 50L * 1024 * 1024;
        private Duration rateWindow = Duration.ofMinutes(1);
        private Duration inactivityTimeout = Duration.ofHours(1);
        private int maxChannelsPerAddress = 100;
        private int failedJoinsPerWindow = 5;
        private long bufferBytes = 24L * 1024 * 1024;
        private long maxBufferedBytes = Math.max(bufferBytes, Runtime.getRuntime().maxMemory() / 4);
        private Duration resumeGrace = Duration.ofMinutes(1);
        private Duration joinTimeout = Duration.ofSeconds(10);
        private Duration pingInterval = Duration.ofSeconds(30);
        private int maxConnections = 10_000;
        private int maxConnectionsPerAddress = 200;
        private Duration upgradeTimeout = Duration.ofSeconds(10);
        private int maxJoinMessageBytes = 4096;
        private long unpairedBytesPerAddress = 1024 * 1024;
        private int failedJoinsPerAddress = 10;
        private List<String> trustedProxies = List.of();
        private long maxIncomingBytes = -1;
        private boolean verbose;
        private Consumer<String> log = Builder::toStderr;
        private Clock clock = Clock.systemUTC();
        private SSLContext tlsContext;
        private URI redis;

        /** Starts from the defaults. */
        public Builder() {
        }

        private static void toStderr(String line) {
            PrintStream err = System.err;
            err.println(Instant.now().atOffset(ZoneOffset.UTC) + " relay: " + line);
        }

        /** @param v address to bind, default {@code 0.0.0.0} @return this */
        public Builder bindAddress(String v) { bindAddress = v; return this; }
        /** @param v WebSocket port, default 4747, 0 for any @return this */
        public Builder port(int v) { port = v; return this; }
        /** @param v admin address, default {@code 127.0.0.1} @return this */
        public Builder adminBindAddress(String v) { adminBindAddress = v; return this; }
        /** @param v admin port, default 4748, 0 for any, -1 for none @return this */
        public Builder adminPort(int v) { adminPort = v; return this; }
        /** @param v largest frame, default 10 MiB @return this */
        public Builder maxFrameBytes(int v) { maxFrameBytes = v; return this; }
        /** @param v messages per window per channel, default 60 @return this */
        public Builder framesPerWindow(int v) { framesPerWindow = v; return this; }
        /** @param v bytes per window per channel, default 50 MiB @return this */
        public Builder bytesPerWindow(long v) { bytesPerWindow = v; return this; }
        /** @param v rate window, default one minute @return this */
        public Builder rateWindow(Duration v) { rateWindow = v; return this; }
        /** @param v inactivity timeout, default one hour @return this */
        public Builder inactivityTimeout(Duration v) { inactivityTimeout = v; return this; }
        /** @param v live channels per source address, default 100 @return this */
        public Builder maxChannelsPerAddress(int v) { maxChannelsPerAddress = v; return this; }
        /** @param v failed joins per channel id per window, default 5 @return this */
        public Builder failedJoinsPerWindow(int v) { failedJoinsPerWindow = v; return this; }
        /** @param v bytes held per channel direction, default 24 MiB @return this */
        public Builder bufferBytes(long v) { bufferBytes = v; return this; }
        /** @param v bytes held across all channels, default a quarter of the heap @return this */
        public Builder maxBufferedBytes(long v) { maxBufferedBytes = v; return this; }
        /** @param v resume grace period, default one minute @return this */
        public Builder resumeGrace(Duration v) { resumeGrace = v; return this; }
        /** @param v time allowed for the first message, default 30 s @return this */
        public Builder joinTimeout(Duration v) { joinTimeout = v; return this; }
        /** @param v WebSocket ping interval, default 30 s @return this */
        public Builder pingInterval(Duration v) { pingInterval = v; return this; }
        /** @param v live TCP connections in total, default 10,000 @return this */
        public Builder maxConnections(int v) { maxConnections = v; return this; }
        /** @param v live TCP connections per client address, default 200 @return this */
        public Builder maxConnectionsPerAddress(int v) { maxConnectionsPerAddress = v; return this; }
        /** @param v time allowed for the WebSocket upgrade (and TLS handshake), default 10 s @return this */
        public Builder upgradeTimeout(Duration v) { upgradeTimeout = v; return this; }
        /** @param v largest message before a join or resume, default 4096 bytes @return this */
        public Builder maxJoinMessageBytes(int v) { maxJoinMessageBytes = v; return this; }
        /** @param v bytes one address may hold in unpaired channels, default 1 MiB @return this */
        public Builder unpairedBytesPerAddress(long v) { unpairedBytesPerAddress = v; return this; }
        /** @param v failed joins per client address per window, default 10 @return this */
        public Builder failedJoinsPerAddress(int v) { failedJoinsPerAddress = v; return this; }
        /** @param v memory for large incoming messages, default a quarter of the heap (at least 4 frames) @return this */
        public Builder maxIncomingBytes(long v) { maxIncomingBytes = v; return this; }
        /** @param v CIDR ranges of trusted proxies, default none @return this */
        public Builder trustedProxies(List<String> v) { trustedProxies = v; return this; }
        /** @param v log every channel's life, default off @return this */
        public Builder verbose(boolean v) { verbose = v; return this; }
        /** @param v where log lines go, default standard error @return this */
        public Builder log(Consumer<String> v) { log = v; return this; }
        /** @param v time source, default the system clock @return this */
        public Builder clock(Clock v) { clock = v; return this; }
        /** @param v TLS identity to serve {@code wss://} with, default none (plain {@code ws://}) @return this */
        public Builder tlsContext(SSLContext v) { tlsContext = v; return this; }

        /** @param v Redis to share channels through, default none (channels in memory) @return this */
        public Builder redis(URI v) { redis = v; return this; }

        /** @return the checked configuration */
        public RelayConfig build() {
            return new RelayConfig(bindAddress, port, adminBindAddress, adminPort, maxFrameBytes,
                    framesPerWindow, bytesPerWindow, rateWindow, inactivityTimeout, maxChannelsPerAddress,
                    failedJoinsPerWindow, bufferBytes, Math.max(maxBufferedBytes, bufferBytes), resumeGrace,
                    joinTimeout, pingInterval, maxConnections, maxConnectionsPerAddress, upgradeTimeout,
                    maxJoinMessageBytes, unpairedBytesPerAddress, failedJoinsPerAddress, trustedProxies,
                    maxIncomingBytes >= 0 ? maxIncomingBytes
                            : Math.max(4L * (maxFrameBytes + FRAMING_ALLOWANCE), Runtime.getRuntime().maxMemory() / 4),
                    verbose, log, clock, tlsContext, redis);
        }
    }
}
