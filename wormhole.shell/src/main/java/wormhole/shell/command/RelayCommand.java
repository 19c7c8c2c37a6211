package wormhole.shell.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import wormhole.relayserver.RelayConfig;
import wormhole.relayserver.RelayServer;
import wormhole.relayserver.RelayTls;
import wormhole.relayserver.SharedStoreException;
import wormhole.shell.cli.Cli;
import wormhole.shell.cli.ExitCode;
import wormhole.shell.cli.ParsedArgs;
import wormhole.shell.cli.UsageException;
import wormhole.shell.output.Sanitizer;

/**
 * {@code agent-wormhole relay}: runs the blind relay until SIGINT/SIGTERM. Prints one JSON line with
 * the ports it listens on (so a script can start it on port 0), logs to stderr, and on a signal tells
 * its clients, stops and exits 0.
 */
public final class RelayCommand {
    private static final String REDIS_USAGE = "--redis needs redis://[:PASSWORD@]HOST:PORT[/DB] or rediss://...";

    private RelayCommand() {
    }

    private static List<String> ranges(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(r -> !r.isEmpty()).toList();
    }

    public static int run(Cli cli, ParsedArgs args) {
        RelayConfig config;
        try {
            RelayConfig.Builder b = RelayConfig.builder()
                    .port(args.intValue("--port", RelayConfig.DEFAULT_PORT, 0, 65535))
                    .bindAddress(args.value("--bind").orElse("0.0.0.0"))
                    .adminPort(args.intValue("--admin-port", RelayConfig.DEFAULT_ADMIN_PORT, -1, 65535))
                    .adminBindAddress(args.value("--admin-bind").orElse("127.0.0.1"))
                    .verbose(args.has("--verbose"))
                    .log(line -> cli.stderr().println("relay: " + Sanitizer.inline(line)));
            b.tlsContext(tls(args));
            RelayConfig defaults = b.build();
            b.maxFrameBytes(args.intValue("--max-frame-bytes", defaults.maxFrameBytes(), 1024, Integer.MAX_VALUE - 1024))
                    .framesPerWindow(args.intValue("--frames-per-minute", defaults.framesPerWindow(), 1, Integer.MAX_VALUE))
                    .bytesPerWindow(args.intValue("--mib-per-minute", (int) (defaults.bytesPerWindow() >> 20), 1, 1 << 20) * (1L << 20))
                    .inactivityTimeout(Duration.ofSeconds(args.intValue("--inactivity-timeout",
                            (int) defaults.inactivityTimeout().toSeconds(), 1, 7 * 24 * 3600)))
                    .maxChannelsPerAddress(args.intValue("--max-channels-per-address", defaults.maxChannelsPerAddress(), 1, 1_000_000))
                    .failedJoinsPerWindow(args.intValue("--failed-joins-per-minute", defaults.failedJoinsPerWindow(), 1, 1_000_000))
                    .failedJoinsPerAddress(args.intValue("--failed-joins-per-address", defaults.failedJoinsPerAddress(), 1, 1_000_000))
                    .maxConnections(args.intValue("--max-connections", defaults.maxConnections(), 1, 10_000_000))
                    .maxConnectionsPerAddress(args.intValue("--max-connections-per-address",
                            defaults.maxConnectionsPerAddress(), 1, 10_000_000))
                    .upgradeTimeout(Duration.ofSeconds(args.intValue("--upgrade-timeout",
                            (int) defaults.upgradeTimeout().toSeconds(), 1, 3600)))
                    .joinTimeout(Duration.ofSeconds(args.intValue("--join-timeout",
                            (int) defaults.joinTimeout().toSeconds(), 1, 3600)))
                    .unpairedBytesPerAddress(args.intValue("--unpaired-kib-per-address",
                            (int) (defaults.unpairedBytesPerAddress() >> 10), 1, 1 << 21) * 1024L)
                    .maxIncomingBytes(args.intValue("--incoming-mib", (int) (defaults.maxIncomingBytes() >> 20), 1, 1 << 20)
                            * (1L << 20))
                    .trustedProxies(args.value("--trust-proxy").map(RelayCommand::ranges).orElse(List.of()))
                    .redis(redis(args, cli));
            config = b.build();
        } catch (UsageException e) {
            return cli.usage(e.getMessage());
        } catch (IOException e) {
            return cli.usage(e.getMessage()); // unusable --tls-cert/--tls-key files: fix the command line
        } catch (IllegalArgumentException e) {
            return cli.usage(e.getMessage());
        }
        RelayServer server = new RelayServer(config);
        try {
            server.start();
        } catch (SharedStoreException e) {
            return cli.fail(ExitCode.CONNECTION_FAILED, "redis", e.getMessage());
        } catch (IOException e) {
            return cli.fail(ExitCode.CONNECTION_FAILED, "bind", "the relay cannot listen: " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // A signal is how a relay is meant to stop: tell the clients, then exit 0 rather than the
        // JVM's 128+signal.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            stopped.countDown();
            cli.stdout().flush();
            Runtime.getRuntime().halt(ExitCode.OK.status());
        }, "relay-stop"));
        ObjectNode started = cli.out().status("relay_started").put("port", server.port()).put("admin_port", server.adminPort());
        if (config.tlsContext() != null) {
            started.put("tls", true);
        }
        if (config.redis() != null) {
            started.put("redis", true);
        }
        cli.out().line(started);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ExitCode.OK.status();
    }

    /**
     * @return the Redis of {@code --redis} or {@code AGENT_WORMHOLE_RELAY_REDIS} (the flag wins; the
     *         variable keeps a password off the command line), or null for channels in memory
     */
    private static URI redis(ParsedArgs args, Cli cli) throws UsageException {
        String url = args.value("--redis").orElse(cli.env().get("AGENT_WORMHOLE_RELAY_REDIS"));
        String trust = args.value("--redis-trust").orElse(null);
        if (url == null || url.isBlank()) {
            if (trust != null) {
                throw new UsageException("--redis-trust goes with a rediss:// Redis (--redis or AGENT_WORMHOLE_RELAY_REDIS)");
            }
            return null;
        }
        try {
            URI uri = new URI(url.trim());
            if (!("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new UsageException(REDIS_USAGE);
            }
            if (trust == null) {
                return uri;
            }
            if (trust.isBlank() || uri.getRawQuery() != null) {
                throw new UsageException("--redis-trust needs a PEM file, and a URL without ?trust=");
            }
            // The flag is the URL's trust parameter; the relay reads it there.
            return new URI(uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath())
                    + "?trust=" + URLEncoder.encode(trust, StandardCharsets.UTF_8).replace("+", "%20"));
        } catch (URISyntaxException e) {
            throw new UsageException(REDIS_USAGE); // the URL is not echoed: it may hold a password
        }
    }

    /** @return the TLS identity of {@code --tls-cert} and {@code --tls-key}, or null for plain ws:// */
    private static SSLContext tls(ParsedArgs args) throws UsageException, IOException {
        String certificate = args.value("--tls-cert").orElse(null);
        String key = args.value("--tls-key").orElse(null);
        if ((certificate == null) != (key == null)) {
            throw new UsageException("--tls-cert and --tls-key go together: give both PEM files, or neither for plain ws://");
        }
        if (certificate == null) {
            return null;
        }
        if (certificate.isBlank() || key.isBlank()) {
            throw new UsageException("--tls-cert and --tls-key each need a file name");
        }
        return RelayTls.fromPem(Path.of(certificate), Path.of(key));
    }
}
