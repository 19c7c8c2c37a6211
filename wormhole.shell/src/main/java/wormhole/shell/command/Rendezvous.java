package wormhole.shell.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import wormhole.shell.cli.UsageException;

/** Turns the command line's words into rendezvous URIs for the transports. */
final class Rendezvous {
    public static final String RELAY_ENV = "AGENT_WORMHOLE_RELAY_URL";

    private Rendezvous() {
    }

    /** The direct host's listening address: {@code tcp://bind:port}. */
    public static URI directHost(String bind, int port) throws UsageException {
        return tcp(bind, port);
    }

    /** The direct peer's target: {@code tcp://host:port}. */
    public static URI directPeer(String host, String nameplate) throws UsageException {
        int port;
        try {
            port = Integer.parseInt(nameplate);
        } catch (NumberFormatException e) {
            throw new UsageException("a direct code starts with the host's port number");
        }
        if (port < 1 || port > 65535) {
            throw new UsageException("a direct code starts with a port number from 1 to 65535");
        }
        return tcp(host, port);
    }

    private static URI tcp(String host, int port) throws UsageException {
        String h = host.strip();
        if (h.isEmpty()) {
            throw new UsageException("the host after '@' is empty");
        }
        if (h.indexOf(':') >= 0 && !h.startsWith("[")) {
            h = "[" + h + "]";
        }
        try {
            URI uri = new URI("tcp://" + h + ":" + port);
            if (uri.getHost() == null) {
                throw new UsageException("'" + host + "' is not a host name or address");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new UsageException("'" + host + "' is not a host name or address");
        }
    }

    /**
     * The relay URL: {@code --relay}, then {@code $AGENT_WORMHOLE_RELAY_URL}, then {@code relay_url}
     * in the user's config file. There is no public default.
     *
     * @throws UsageException if none is configured, or it is not a relay URL
     */
    public static URI relay(Optional<String> flag, Map<String, String> env) throws UsageException {
        return configuredRelay(flag, env).orElseThrow(() -> new UsageException(
                "no relay configured, and a code without @HOST needs one. Give the direct host's address as CODE@HOST, "
                + "or name a relay with --relay ws://HOST:4747 or " + RELAY_ENV + ", or set \"relay_url\" in " + configFile(env)
                + " (run your own with: agent-wormhole relay --port 4747)"));
    }

    /**
     * The relay URL, as {@link #relay}, or empty when none is configured anywhere ({@code host} then
     * hosts directly).
     *
     * @throws UsageException if one is configured but is not a relay URL
     */
    public static Optional<URI> configuredRelay(Optional<String> flag, Map<String, String> env) throws UsageException {
        Optional<String> url = flag.or(() -> Optional.ofNullable(env.get(RELAY_ENV)).filter(s -> !s.isBlank()))
                .or(() -> fromConfig(env));
        if (url.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(parseRelay(url.get()));
    }

    private static URI parseRelay(String url) throws UsageException {
        // Several URLs separated by commas: instances of one relay (relay --redis); the client starts
        // at a random one and moves to the next when a connection fails or drops.
        List<String> parts = new ArrayList<>();
        for (String part : url.strip().split(",", -1)) {
            parts.add(part.strip());
            try {
                URI uri = new URI(part.strip());
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
                if (!scheme.equals("ws") && !scheme.equals("wss") || uri.getHost() == null) {
                    throw new UsageException("a relay URL looks like ws://HOST:4747 or wss://HOST (several: separated by commas)");
                }
            } catch (URISyntaxException e) {
                throw new UsageException("a relay URL looks like ws://HOST:4747 or wss://HOST (several: separated by commas)");
            }
        }
        try {
            return new URI(String.join(",", parts));
        } catch (URISyntaxException e) {
            throw new UsageException("a relay URL looks like ws://HOST:4747 or wss://HOST (several: separated by commas)");
        }
    }

    /** @return whether the config file says {@code "no_upgrade": true} */
    public static boolean upgradeOffInConfig(Map<String, String> env) {
        Path f = configFile(env);
        if (!Files.isRegularFile(f)) {
            return false;
        }
        try {
            return new ObjectMapper().readTree(f.toFile()).path("no_upgrade").asBoolean(false);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The {@code --upgrade-hints} list: {@code host:port} items separated by commas.
     *
     * @throws UsageException when an item is not {@code host:port}
     */
    public static List<String> upgradeHints(Optional<String> flag) throws UsageException {
        List<String> hints = new ArrayList<>();
        if (flag.isEmpty()) {
            return hints;
        }
        for (String part : flag.get().split(",", -1)) {
            String h = part.strip();
            try {
                URI uri = new URI("tcp://" + h);
                if (uri.getHost() == null || uri.getPort() < 1 || !uri.getPath().isEmpty()) {
                    throw new UsageException("--upgrade-hints takes HOST:PORT items separated by commas, not '" + h + "'");
                }
            } catch (URISyntaxException e) {
                throw new UsageException("--upgrade-hints takes HOST:PORT items separated by commas, not '" + h + "'");
            }
            hints.add(h);
        }
        if (hints.size() > 16) {
            throw new UsageException("--upgrade-hints takes at most 16 addresses");
        }
        return hints;
    }

    public static Path configFile(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("agent-wormhole").resolve("config.json");
    }

    private static Optional<String> fromConfig(Map<String, String> env) {
        Path f = configFile(env);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            JsonNode node = new ObjectMapper().readTree(f.toFile());
            return Optional.ofNullable(node.get("relay_url")).filter(JsonNode::isTextual).map(JsonNode::asText);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
