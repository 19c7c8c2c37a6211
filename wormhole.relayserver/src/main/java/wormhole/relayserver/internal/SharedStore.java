package wormhole.relayserver.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntryBinary;
import wormhole.relayserver.SharedStoreException;

/**
 * The relay's connection to Redis (a pool of them, Jedis): runs the {@link SharedScripts} and reads
 * the streams of the sides held here. Every method throws Jedis's unchecked exceptions when Redis
 * cannot be reached; the caller turns them into {@code relay_unavailable}.
 */
final class SharedStore implements AutoCloseable {
    /** Every key the relay writes starts with this. */
    static final String PREFIX = "aw:";

    private final JedisPooled redis;
    private final RedisAddress address;
    private final Map<String, byte[]> shas = new ConcurrentHashMap<>();

    /**
     * @param address       where Redis is and how to log in
     * @param tls           the socket factory for {@code rediss://} (unused for {@code redis://})
     * @param timeoutMillis how long one command may take (a blocking read adds its own wait)
     */
    SharedStore(RedisAddress address, SSLSocketFactory tls, int timeoutMillis) {
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(64);
        pool.setMaxIdle(16);
        pool.setJmxEnabled(false);
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeoutMillis).socketTimeoutMillis(timeoutMillis)
                .database(address.database()).clientName("agent-wormhole-relay");
        if (address.tls()) {
            // Jedis checks no host name unless told to: the parameters make the JDK check it.
            client.ssl(true).sslSocketFactory(tls).sslParameters(RedisAddress.checkingHostName());
        }
        if (address.password() != null) {
            client.user(address.user()).password(address.password());
        }
        this.address = address;
        this.redis = new JedisPooled(new HostAndPort(address.host(), address.port()), client.build(), pool);
    }

    /**
     * Sets up the connections to the Redis of {@code uri} (none is opened yet; {@link #check()} opens one).
     *
     * @throws SharedStoreException when the URL's trust file is unusable
     */
    static SharedStore open(URI uri, int timeoutMillis) throws SharedStoreException {
        RedisAddress address = RedisAddress.parse(uri);
        try {
            return new SharedStore(address, address.tls() ? address.socketFactory() : null, timeoutMillis);
        } catch (IOException e) {
            throw new SharedStoreException(e.getMessage());
        }
    }

    /**
     * Asks Redis for a PONG, at start: a Redis that cannot be reached may come up later, but one that
     * refuses the password or whose certificate is not trusted will not get better by waiting.
     *
     * @param unreachable told why when Redis cannot be reached now
     * @throws SharedStoreException (having closed this store) when Redis refuses us or TLS fails; its
     *         message names Redis without credentials
     */
    void check(Consumer<JedisConnectionException> unreachable) throws SharedStoreException {
        try {
            ping();
        } catch (JedisConnectionException e) {
            if (!refusedTls(e)) {
                unreachable.accept(e);
                return;
            }
            close();
            throw new SharedStoreException("the relay cannot use its Redis at " + address + ": " + reasons(e, address.password()));
        } catch (JedisException e) {
            close();
            throw new SharedStoreException("the relay cannot use its Redis at " + address + ": " + reasons(e, address.password()));
        }
    }

    private static boolean refusedTls(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    /** @return the messages of an exception and its causes, each once, with the password (if any) masked */
    static String reasons(Throwable e, String password) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (out.indexOf(m) < 0) {
                out.append(out.length() == 0 ? "" : "; ").append(m);
            }
        }
        String text = out.toString();
        return password == null || password.isEmpty() ? text : text.replace(password, "***");
    }

    /** Runs a script with these arguments (strings, numbers or byte arrays); the prefix comes first. */
    Object run(String script, Object... args) {
        List<byte[]> argv = new ArrayList<>(args.length + 1);
        argv.add(bytes(PREFIX));
        for (Object a : args) {
            argv.add(a instanceof byte[] b ? b : bytes(String.valueOf(a)));
        }
        byte[] sha = shas.computeIfAbsent(script, SharedStore::sha1);
        try {
            return redis.evalsha(sha, List.of(), argv);
        } catch (JedisNoScriptException e) {
            redis.scriptLoad(bytes(script), bytes(PREFIX + "x"));
            return redis.evalsha(sha, List.of(), argv);
        }
    }

    /** Waits up to {@code blockMillis} for entries after the given ids of the given streams. */
    List<Map.Entry<byte[], List<StreamEntryBinary>>> read(Map<byte[], StreamEntryID> after, int blockMillis, int count) {
        List<Map.Entry<byte[], List<StreamEntryBinary>>> got = redis.xreadBinary(
                XReadParams.xReadParams().block(blockMillis).count(count), after);
        return got == null ? List.of() : got;
    }

    void deleteEntries(String stream, List<StreamEntryID> ids) {
        if (!ids.isEmpty()) {
            redis.xdel(stream, ids.toArray(StreamEntryID[]::new));
        }
    }

    void delete(String key) {
        redis.del(key);
    }

    /** Marks this instance alive for a few seconds (other instances treat its sides as away after). */
    void heartbeat(String instance, long millis) {
        redis.psetex(PREFIX + "inst:" + instance, millis, "1");
    }

    void forget(String instance) {
        redis.del(PREFIX + "inst:" + instance);
    }

    /** @return the live channel count, as the channels themselves keep it */
    long liveChannels() {
        String v = redis.get(PREFIX + "live");
        return v == null ? 0 : Long.parseLong(v);
    }

    /** @return the count of failures under {@code key} in its window */
    long failures(String key) {
        String v = redis.get(key);
        return v == null ? 0 : Long.parseLong(v);
    }

    /** Counts one failure under {@code key}, which expires {@code windowMillis} after the first. */
    void fail(String key, long windowMillis) {
        if (redis.incr(key) == 1) {
            redis.pexpire(key, windowMillis);
        }
    }

    String ping() {
        return redis.ping();
    }

    @Override
    public void close() {
        redis.close();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** @return a reply (a bulk string or a number) as text; null stays null */
    static String text(Object reply) {
        if (reply instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        return reply == null ? null : reply.toString();
    }

    /** @return a reply's elements as text */
    static List<String> texts(Object reply) {
        List<String> out = new ArrayList<>();
        if (reply instanceof List<?> l) {
            l.forEach(e -> out.add(text(e)));
        } else if (reply != null) {
            out.add(text(reply));
        }
        return out;
    }

    private static byte[] sha1(String script) {
        try {
            return bytes(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes(script))));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
