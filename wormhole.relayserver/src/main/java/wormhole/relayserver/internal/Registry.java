package wormhole.relayserver.internal;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The relay's shared tables: channels by id, resume tokens, per-address channel counts, failed
 * joins, and the global count of buffered bytes. Each operation is atomic on its own (concurrent
 * maps); it never takes a channel's lock, so it may be called while one is held.
 */
final class Registry {
    /** A legacy code whose first part is a number addresses the nameplate of that number. */
    private static final Pattern NUMBERED = Pattern.compile("^([0-9]{1,9})(-.*)?$");

    private final Map<String, RelayChannel> channels = new ConcurrentHashMap<>();
    private final Map<String, TokenRef> tokens = new ConcurrentHashMap<>();
    private final Quota channelsByAddress = new Quota();
    private final Map<String, long[]> failedJoins = new ConcurrentHashMap<>();
    private final Map<String, long[]> failedJoinsByAddress = new ConcurrentHashMap<>();
    private final Quota unpairedByAddress = new Quota();
    private final AtomicLong buffered = new AtomicLong();
    private final AtomicLong serials = new AtomicLong();
    private final SecureRandom random = new SecureRandom();

    /** Which side of which channel a token resumes. */
    record TokenRef(RelayChannel channel, Party role) {
    }

    /** @return the registry key a join code addresses */
    static String keyFor(String code) {
        Matcher m = NUMBERED.matcher(code);
        if (m.matches()) {
            return "n:" + Long.parseLong(m.group(1));
        }
        return "c:" + code;
    }

    long nextSerial() {
        return serials.incrementAndGet();
    }

    RelayChannel get(String key) {
        return channels.get(key);
    }

    /** @return whether the channel was added (its key was free) */
    boolean add(RelayChannel channel) {
        return channels.putIfAbsent(channel.key, channel) == null;
    }

    /**
     * Picks a nameplate that no live channel uses, from a range about ten times the number of live
     * channels (so it stays short), and returns its key.
     */
    String freeNameplateKey() {
        int range = Math.max(100, channels.size() * 10);
        for (int attempt = 0; ; attempt++) {
            if (attempt > 0 && attempt % 20 == 0) {
                range = range > Integer.MAX_VALUE / 10 ? range : range * 10;
            }
            String key = "n:" + (1 + random.nextInt(range - 1));
            if (!channels.containsKey(key)) {
                return key;
            }
        }
    }

    Collection<RelayChannel> channels() {
        return channels.values();
    }

    int channelCount() {
        return channels.size();
    }

    String newToken(RelayChannel channel, Party role) {
        byte[] raw = new byte[24];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        tokens.put(token, new TokenRef(channel, role));
        return token;
    }

    TokenRef resolve(String token) {
        return tokens.get(token);
    }

    /** Counts {@code address} into a channel unless that would pass {@code limit}; returns whether it did. */
    boolean enterAddress(String address, int limit) {
        return channelsByAddress.tryAdd(address, 1, limit);
    }

    void leaveAddress(String address) {
        channelsByAddress.release(address, 1);
    }

    /** Removes an ended channel's entries; the caller has already freed its buffers. */
    void remove(RelayChannel channel, Collection<String> channelTokens, Collection<String> addresses) {
        channels.remove(channel.key, channel);
        channelTokens.forEach(tokens::remove);
        addresses.forEach(this::leaveAddress);
    }

    /** @return whether joins of channel {@code key} are refused for now (too many recent failures) */
    boolean joinsBlocked(String key, int limit, long windowMillis, long now) {
        return blocked(failedJoins, key, limit, windowMillis, now);
    }

    /** @return whether joins from {@code address} are refused for now (too many recent failures) */
    boolean addressBlocked(String address, int limit, long windowMillis, long now) {
        return blocked(failedJoinsByAddress, address, limit, windowMillis, now);
    }

    /** Counts a failed join against the channel id and against the client address that tried it. */
    void recordFailedJoin(String key, String address, long windowMillis, long now) {
        count(failedJoins, key, windowMillis, now);
        count(failedJoinsByAddress, address, windowMillis, now);
    }

    void forgetOldFailures(long windowMillis, long now) {
        failedJoins.values().removeIf(w -> now - w[0] >= windowMillis);
        failedJoinsByAddress.values().removeIf(w -> now - w[0] >= windowMillis);
    }

    private static boolean blocked(Map<String, long[]> windows, String key, int limit, long windowMillis, long now) {
        long[] w = windows.get(key);
        return w != null && now - w[0] < windowMillis && w[1] >= limit;
    }

    private static void count(Map<String, long[]> windows, String key, long windowMillis, long now) {
        windows.compute(key, (k, w) -> {
            if (w == null || now - w[0] >= windowMillis) {
                return new long[] {now, 1};
            }
            return new long[] {w[0], w[1] + 1};
        });
    }

    /**
     * Counts {@code bytes} held for a channel without a peer against {@code address}'s share.
     *
     * @return whether they fit under {@code share} (nothing is counted when not)
     */
    boolean holdUnpaired(String address, long bytes, long share) {
        return unpairedByAddress.tryAdd(address, bytes, share);
    }

    /** Gives back what {@link #holdUnpaired} counted, once the channel pairs or ends. */
    void releaseUnpaired(String address, long bytes) {
        unpairedByAddress.release(address, bytes);
    }

    /** Reserves {@code bytes} of the global buffer budget; returns false (reserving nothing) past {@code max}. */
    boolean reserve(long bytes, long max) {
        long after = buffered.addAndGet(bytes);
        if (after > max) {
            buffered.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    void free(long bytes) {
        buffered.addAndGet(-bytes);
    }

    long bufferedBytes() {
        return buffered.get();
    }
}
