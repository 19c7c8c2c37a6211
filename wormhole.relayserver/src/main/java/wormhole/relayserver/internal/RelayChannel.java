package wormhole.relayserver.internal;

import java.util.LinkedHashSet;
import java.util.Set;
import wormhole.relayserver.RelayConfig;

/**
 * One channel: the two sides, the frames in each direction, and its limits. Every field is guarded
 * by the channel's own monitor ({@code synchronized (channel)}).
 */
final class RelayChannel {
    final long serial;
    /** The registry key: {@code n:<digits>} for a nameplate, {@code c:<code>} for a legacy code. */
    final String key;
    /** The nameplate, or null for a legacy code channel. */
    final String nameplate;
    final Seat host = new Seat(Party.HOST);
    final Seat peer = new Seat(Party.PEER);
    final Direction toPeer = new Direction();
    final Direction toHost = new Direction();
    final TokenBucket frameRate;
    final TokenBucket byteRate;
    final TokenBucket controlRate;
    final Set<String> addresses = new LinkedHashSet<>(2);
    long lastActivity;
    /** Bytes held while the channel had no peer, counted against the host's address (until it pairs). */
    long unpairedBytes;
    boolean paired;
    boolean ended;

    RelayChannel(long serial, String key, String nameplate, RelayConfig config, long now) {
        this.serial = serial;
        this.key = key;
        this.nameplate = nameplate;
        long window = config.rateWindow().toMillis();
        this.frameRate = new TokenBucket(config.framesPerWindow(), window, now);
        this.byteRate = new TokenBucket(config.bytesPerWindow(), window, now);
        // Control messages (acks, pings) are cheap but not free: allow ten per frame.
        this.controlRate = new TokenBucket(10L * config.framesPerWindow() + 20, window, now);
        this.lastActivity = now;
    }

    Seat side(Party role) {
        return role == Party.HOST ? host : peer;
    }

    Seat other(Seat s) {
        return s == host ? peer : host;
    }

    /** @return the frames {@code s} sends */
    Direction from(Seat s) {
        return s == host ? toPeer : toHost;
    }

    /** @return the frames {@code s} receives */
    Direction to(Seat s) {
        return s == host ? toHost : toPeer;
    }

    /** A name for logs: never the code or nameplate. */
    String label() {
        return "channel #" + serial;
    }
}
