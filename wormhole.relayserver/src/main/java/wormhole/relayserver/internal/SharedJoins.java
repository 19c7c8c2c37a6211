package wormhole.relayserver.internal;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.java_websocket.WebSocket;
import redis.clients.jedis.exceptions.JedisException;
import wormhole.relayserver.RelayConfig;

/**
 * How a connection enters a channel shared through Redis: a host opens one (a nameplate unique
 * across instances), a peer joins it (at any instance; one peer ever), a side resumes with its token
 * (at any instance). Failed joins count per client address and per channel id in Redis, so a scan
 * is throttled across the whole fleet. The side then belongs to the {@link SharedRelay}.
 */
final class SharedJoins {
    private final RelayConfig config;
    private final SharedStore store;
    private final Counters counters;
    private final Flow flow;
    private final Refusals refusals;
    private final RelayLog log;
    private final SharedRelay relay;
    private final SecureRandom random = new SecureRandom();

    SharedJoins(RelayConfig config, SharedStore store, Counters counters, Flow flow, Refusals refusals, RelayLog log,
            SharedRelay relay) {
        this.config = config;
        this.store = store;
        this.counters = counters;
        this.flow = flow;
        this.refusals = refusals;
        this.log = log;
        this.relay = relay;
    }

    private long ttl() {
        return config.inactivityTimeout().toMillis();
    }

    /** A join that passed the syntax checks; {@code key} is null for a host without a code. */
    void join(WebSocket conn, ConnState st, Party party, String key, boolean ours) {
        try {
            long window = config.rateWindow().toMillis();
            if (key != null && store.failures(failKey("addr:", st.address)) >= config.failedJoinsPerAddress()) {
                refusals.refuse(conn, ErrorCode.ADDRESS_THROTTLED, "too many failed joins from this address; try again later");
            } else if (key != null && store.failures(failKey("name:", key)) >= config.failedJoinsPerWindow()) {
                refusals.refuse(conn, ErrorCode.TOO_MANY_ATTEMPTS, "too many failed joins for this channel; try again later");
            } else if (party == Party.HOST) {
                host(conn, st, key, ours, window);
            } else {
                peer(conn, st, key, ours, window);
            }
        } catch (JedisException e) {
            relay.unavailable(e);
            refusals.refuse(conn, ErrorCode.RELAY_UNAVAILABLE, "the relay cannot reach its shared store; try again later");
        }
    }

    private void host(WebSocket conn, ConnState st, String key, boolean ours, long window) {
        String token = ours ? newId(24) : "";
        String id = newId(12);
        String owner = relay.newOwner();
        for (int attempt = 0; ; attempt++) {
            String name = key != null ? key : "n:" + freeNameplate(attempt);
            String r = SharedStore.text(store.run(SharedScripts.CREATE, id, name, ours ? 2 : 1, token, owner,
                    st.address, flow.now(), ttl(), config.maxChannelsPerAddress()));
            if ("too_many".equals(r)) {
                refusals.refuse(conn, ErrorCode.TOO_MANY_CHANNELS, "this address already takes part in "
                        + config.maxChannelsPerAddress() + " channels");
                return;
            }
            if ("taken".equals(r)) {
                if (key != null) {
                    failJoin(conn, st, key, window, ErrorCode.HOST_EXISTS, "this channel already has a host");
                    return;
                }
                continue;
            }
            SharedSeat seat = new SharedSeat(id, Party.HOST, owner, ours, controlBucket());
            counters.channelsTotal.increment();
            synchronized (seat.lock) {
                relay.attach(seat, conn, st);
                if (ours) {
                    Wire.text(conn, Control.welcome(name.startsWith("n:") ? name.substring(2) : null, token,
                            Party.HOST, config));
                }
                Wire.text(conn, Control.status("waiting"));
            }
            log.detail(seat.label() + " opened from " + st.address);
            return;
        }
    }

    private long freeNameplate(int attempt) {
        long range = Math.max(100, store.liveChannels() * 10);
        for (int i = 0; i < attempt / 20 && range < Integer.MAX_VALUE / 10; i++) {
            range *= 10;
        }
        return 1 + (long) (random.nextDouble() * (range - 1));
    }

    private void peer(WebSocket conn, ConnState st, String key, boolean ours, long window) {
        String token = ours ? newId(24) : "";
        String owner = relay.newOwner();
        List<String> r = SharedStore.texts(store.run(SharedScripts.JOIN, key, ours ? 2 : 1, token, owner,
                st.address, ttl(), config.maxChannelsPerAddress()));
        switch (r.get(0)) {
            case "none" -> failJoin(conn, st, key, window, ErrorCode.NO_SUCH_CHANNEL, "no host is waiting on this channel");
            case "full" -> failJoin(conn, st, key, window, ErrorCode.CHANNEL_FULL, "this channel already has its peer");
            case "too_many" -> refusals.refuse(conn, ErrorCode.TOO_MANY_CHANNELS, "this address already takes part in "
                    + config.maxChannelsPerAddress() + " channels");
            default -> {
                SharedSeat seat = new SharedSeat(r.get(1), Party.PEER, owner, ours, controlBucket());
                boolean hostOurs = "2".equals(r.get(2));
                synchronized (seat.lock) {
                    seat.paired = true;
                    seat.otherResumable = hostOurs;
                    if (ours) {
                        Wire.text(conn, Control.welcome(key.startsWith("n:") ? key.substring(2) : null, token,
                                Party.PEER, config));
                    }
                    Wire.text(conn, ours ? Control.pairedV2(hostOurs) : Control.status("paired"));
                    relay.attach(seat, conn, st);
                }
                counters.channelsPaired.incrementAndGet();
                log.detail(seat.label() + " joined from " + st.address);
            }
        }
    }

    private void failJoin(WebSocket conn, ConnState st, String key, long window, ErrorCode code, String message) {
        store.fail(failKey("name:", key), window);
        store.fail(failKey("addr:", st.address), window);
        refusals.refuse(conn, code, message);
    }

    private static String failKey(String kind, String what) {
        return SharedStore.PREFIX + "fail:" + kind + what;
    }

    /** A resume request; the syntax was checked. */
    void resume(WebSocket conn, ConnState st, String token, long received) {
        String owner = relay.newOwner();
        List<String> r;
        try {
            r = SharedStore.texts(store.run(SharedScripts.RESUME, token, received, owner, ttl()));
        } catch (JedisException e) {
            relay.unavailable(e);
            refusals.refuse(conn, ErrorCode.RELAY_UNAVAILABLE, "the relay cannot reach its shared store; try again later");
            return;
        }
        switch (r.get(0)) {
            case "unknown" -> refusals.refuse(conn, ErrorCode.RESUME_FAILED, "unknown or expired resume token");
            case "ended" -> refusals.refuse(conn, ErrorCode.RESUME_FAILED, "the channel has ended");
            case "left" -> refusals.refuse(conn, ErrorCode.RESUME_FAILED, "this side has closed the channel");
            case "gap" -> {
                String why = "cannot resume from frame " + received + ": the relay holds frames " + r.get(2) + " to "
                        + r.get(3) + "; channel closed";
                refusals.refuse(conn, ErrorCode.RESUME_GAP, why);
                relay.endQuietly(r.get(1), ErrorCode.RESUME_GAP, why, "error");
            }
            default -> resumed(conn, st, r, owner, received);
        }
    }

    private void resumed(WebSocket conn, ConnState st, List<String> r, String owner, long received) {
        Party party = "h".equals(r.get(2)) ? Party.HOST : Party.PEER;
        SharedSeat seat = new SharedSeat(r.get(1), party, owner, "2".equals(r.get(11)), controlBucket());
        synchronized (seat.lock) {
            seat.sent = Long.parseLong(r.get(3));
            seat.consumedByOther = Long.parseLong(r.get(4));
            seat.ackedSent = seat.sent;
            seat.paired = "1".equals(r.get(5));
            seat.otherResumable = seat.paired ? "2".equals(r.get(7)) : null;
            if ("1".equals(r.get(8))) {
                seat.otherLeftAt = Long.parseLong(r.get(9));
            }
            seat.skipBelow = received;
            seat.nextIn = Long.parseLong(r.get(10));
            seat.confirmedTo = seat.nextIn;
            String peer = !seat.paired ? "waiting" : "1".equals(r.get(6)) ? "present" : "away";
            Wire.text(conn, Control.resumed(seat.sent, seat.consumedByOther, peer, seat.otherResumable));
            counters.resumes.increment();
            SharedSeat old = relay.held(seat.inbox);
            if (old != null) {
                synchronized (old.lock) {
                    relay.retire(old, "replaced by a resumed connection");
                }
            }
            relay.attach(seat, conn, st);
        }
        log.detail(seat.label() + " resumed from " + st.address);
    }

    private TokenBucket controlBucket() {
        return new TokenBucket(10L * config.framesPerWindow() + 20, config.rateWindow().toMillis(), flow.now());
    }

    private String newId(int bytes) {
        byte[] raw = new byte[bytes];
        random.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
