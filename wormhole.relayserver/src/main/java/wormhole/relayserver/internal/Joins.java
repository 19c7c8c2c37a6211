package wormhole.relayserver.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.CloseFrame;
import wormhole.relayserver.RelayConfig;

/**
 * How a connection enters a channel: the Python join, ours (protocol 2), and resume. Refuses what
 * the limits do not allow: failed joins per channel id and per client address, live channels per
 * address.
 */
final class Joins {
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final RelayConfig config;
    private final Registry registry;
    private final Counters counters;
    private final Flow flow;
    private final Refusals refusals;
    private final RelayLog log;
    /** With a shared store ({@code --redis}) the channels live there; null for the relay in memory. */
    private final SharedJoins shared;

    Joins(RelayConfig config, Registry registry, Counters counters, Flow flow, Refusals refusals, RelayLog log,
            SharedJoins shared) {
        this.shared = shared;
        this.config = config;
        this.registry = registry;
        this.counters = counters;
        this.flow = flow;
        this.refusals = refusals;
        this.log = log;
    }

    /** Handles the first message of a connection, which must be a join or a resume. */
    void first(WebSocket conn, ConnState st, JsonNode msg, String action) {
        if (msg == null) {
            refusals.refuse(conn, ErrorCode.BAD_REQUEST, "the first message must be a JSON join or resume");
        } else if ("join".equals(action)) {
            join(conn, st, msg);
        } else if ("resume".equals(action)) {
            resume(conn, st, msg);
        } else {
            refusals.refuse(conn, ErrorCode.BAD_REQUEST, "unknown action: expected join or resume");
        }
    }

    private void join(WebSocket conn, ConnState st, JsonNode msg) {
        Party role = Party.fromWire(Control.textField(msg, "role"));
        if (role == null) {
            refusals.refuse(conn, ErrorCode.BAD_REQUEST, "role must be host or peer");
            return;
        }
        boolean ours = msg.path("protocol").asInt(1) >= 2;
        JsonNode codeNode = msg.get("code");
        if (codeNode == null || codeNode.isNull()) {
            if (role != Party.HOST || !ours) {
                refusals.refuse(conn, ErrorCode.BAD_REQUEST, "only a protocol-2 host may join without a code");
            } else if (shared != null) {
                shared.join(conn, st, Party.HOST, null, true);
            } else {
                hostNew(conn, st);
            }
            return;
        }
        String code = codeNode.isTextual() ? codeNode.asText() : "";
        if (!CODE.matcher(code).matches()) {
            refusals.refuse(conn, ErrorCode.BAD_REQUEST, "a code is 1 to 128 letters, digits, '.', '_' or '-'");
            return;
        }
        String key = Registry.keyFor(code);
        if (shared != null) {
            shared.join(conn, st, role, key, ours);
            return;
        }
        long window = config.rateWindow().toMillis();
        if (registry.addressBlocked(st.address, config.failedJoinsPerAddress(), window, flow.now())) {
            refusals.refuse(conn, ErrorCode.ADDRESS_THROTTLED, "too many failed joins from this address; try again later");
        } else if (registry.joinsBlocked(key, config.failedJoinsPerWindow(), window, flow.now())) {
            refusals.refuse(conn, ErrorCode.TOO_MANY_ATTEMPTS, "too many failed joins for this channel; try again later");
        } else if (role == Party.HOST) {
            hostCode(conn, st, key, ours);
        } else {
            peer(conn, st, key, ours);
        }
    }

    private void hostNew(WebSocket conn, ConnState st) {
        if (!enterAddress(conn, st)) {
            return;
        }
        long serial = registry.nextSerial();
        while (true) {
            String key = registry.freeNameplateKey();
            RelayChannel ch = new RelayChannel(serial, key, key.substring(2), config, flow.now());
            synchronized (ch) {
                if (registry.add(ch)) {
                    openHost(conn, st, ch, true);
                    return;
                }
            }
        }
    }

    private void hostCode(WebSocket conn, ConnState st, String key, boolean ours) {
        if (!enterAddress(conn, st)) {
            return;
        }
        String nameplate = key.startsWith("n:") ? key.substring(2) : null;
        RelayChannel ch = new RelayChannel(registry.nextSerial(), key, nameplate, config, flow.now());
        synchronized (ch) {
            if (registry.add(ch)) {
                openHost(conn, st, ch, ours);
                return;
            }
        }
        registry.leaveAddress(st.address);
        failJoin(conn, st, key, ErrorCode.HOST_EXISTS, "this channel already has a host");
    }

    /** Called with the new channel's lock held, right after it was registered. */
    private void openHost(WebSocket conn, ConnState st, RelayChannel ch, boolean ours) {
        ch.addresses.add(st.address);
        Seat h = ch.host;
        h.joined = true;
        h.resumable = ours;
        h.address = st.address;
        flow.attach(ch, h, conn);
        counters.channelsTotal.increment();
        if (ours) {
            h.token = registry.newToken(ch, Party.HOST);
            Wire.text(conn, Control.welcome(ch.nameplate, h.token, Party.HOST, config));
        }
        Wire.text(conn, Control.status("waiting"));
        log.detail(ch.label() + " opened by a " + (ours ? "protocol-2" : "protocol-1") + " host from " + st.address);
    }

    private void peer(WebSocket conn, ConnState st, String key, boolean ours) {
        RelayChannel ch = registry.get(key);
        if (ch == null) {
            failJoin(conn, st, key, ErrorCode.NO_SUCH_CHANNEL, "no host is waiting on this channel");
            return;
        }
        synchronized (ch) {
            if (ch.ended || !ch.host.connected()) {
                failJoin(conn, st, key, ErrorCode.NO_SUCH_CHANNEL, "no host is waiting on this channel");
                return;
            }
            if (ch.peer.joined) {
                failJoin(conn, st, key, ErrorCode.CHANNEL_FULL, "this channel already has its peer");
                return;
            }
            if (!ch.addresses.contains(st.address)) {
                if (!enterAddress(conn, st)) {
                    return;
                }
                ch.addresses.add(st.address);
            }
            Seat p = ch.peer;
            p.joined = true;
            p.resumable = ours;
            p.address = st.address;
            if (ours) {
                p.token = registry.newToken(ch, Party.PEER);
                Wire.text(conn, Control.welcome(ch.nameplate, p.token, Party.PEER, config));
            }
            flow.pair(ch);
            flow.attach(ch, p, conn);
            // As the reference relay: a protocol-1 side hears "paired" only as the answer to its own
            // join. A waiting protocol-1 host takes every later message, text or binary, for a frame
            // (websockets >= 13 with recv(decode=False)), so it must get nothing but the peer's frames.
            Wire.text(conn, ours ? Control.pairedV2(ch.host.resumable) : Control.status("paired"));
            if (ch.host.resumable) {
                Wire.text(ch.host.conn, Control.pairedV2(ours));
            }
            flow.deliver(ch, p);
            log.detail(ch.label() + " paired with a " + (ours ? "protocol-2" : "protocol-1") + " peer from " + st.address);
        }
    }

    private void resume(WebSocket conn, ConnState st, JsonNode msg) {
        String token = Control.textField(msg, "token");
        JsonNode received = msg.get("received");
        if (token == null || received == null || !received.canConvertToLong() || received.asLong() < 0) {
            refusals.refuse(conn, ErrorCode.BAD_REQUEST, "resume needs a token and the count of frames received");
            return;
        }
        if (shared != null) {
            shared.resume(conn, st, token, received.asLong());
            return;
        }
        Registry.TokenRef ref = registry.resolve(token);
        if (ref == null) {
            refusals.refuse(conn, ErrorCode.RESUME_FAILED, "unknown or expired resume token");
            return;
        }
        RelayChannel ch = ref.channel();
        synchronized (ch) {
            if (ch.ended) {
                refusals.refuse(conn, ErrorCode.RESUME_FAILED, "the channel has ended");
                return;
            }
            Seat s = ch.side(ref.role());
            if (s.leaving) {
                refusals.refuse(conn, ErrorCode.RESUME_FAILED, "this side has closed the channel");
                return;
            }
            Direction in = ch.to(s);
            long from = received.asLong();
            if (from < in.base() || from > in.delivered()) {
                String why = "cannot resume from frame " + from + ": the relay holds frames " + in.base()
                        + " to " + in.delivered() + "; channel closed";
                refusals.refuse(conn, ErrorCode.RESUME_GAP, why);
                flow.end(ch, ErrorCode.RESUME_GAP, why);
                return;
            }
            WebSocket old = s.conn;
            if (old != null) {
                flow.detach(s); // the old connection is half-dead; this one replaces it
                flow.closeLater(old, CloseFrame.NORMAL, "replaced by a resumed connection");
            }
            in.rewindTo(from);
            flow.attach(ch, s, conn);
            counters.resumes.increment();
            Seat o = ch.other(s);
            String peerState = !ch.paired ? "waiting" : o.connected() ? "present" : "away";
            Direction out = ch.from(s);
            Wire.text(conn, Control.resumed(out.accepted(), out.base(), peerState, ch.paired ? o.resumable : null));
            s.ackedAccepted = out.accepted();
            s.ackedReleased = out.base();
            s.bytesSinceAck = 0;
            if (ch.paired) {
                flow.deliver(ch, s);
                if (!ch.ended && o.connected() && o.resumable) {
                    Wire.text(o.conn, Control.status("peer_reconnected"));
                }
                if (!ch.ended) {
                    flow.finishLeaveIfDelivered(ch);
                }
            }
            log.detail(ch.label() + ": " + s.role.wire() + " resumed from " + st.address);
        }
    }

    private boolean enterAddress(WebSocket conn, ConnState st) {
        if (registry.enterAddress(st.address, config.maxChannelsPerAddress())) {
            return true;
        }
        refusals.refuse(conn, ErrorCode.TOO_MANY_CHANNELS, "this address already takes part in "
                + config.maxChannelsPerAddress() + " channels");
        return false;
    }

    private void failJoin(WebSocket conn, ConnState st, String key, ErrorCode code, String message) {
        registry.recordFailedJoin(key, st.address, config.rateWindow().toMillis(), flow.now());
        refusals.refuse(conn, code, message);
    }
}
