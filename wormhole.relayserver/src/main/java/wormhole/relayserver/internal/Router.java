package wormhole.relayserver.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.CloseFrame;
import wormhole.relayserver.RelayConfig;
import wormhole.relayserver.RelayStats;

/**
 * The relay's logic behind the WebSocket callbacks: joins (the Python one and ours), resumes, and
 * dispatch into {@link Flow} for joined channels. It never looks inside a binary frame.
 */
public final class Router {
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final RelayConfig config;
    private final Registry registry = new Registry();
    private final Counters counters = new Counters();
    private final RelayLog log;
    private final Flow flow;
    private final Supplier<Collection<WebSocket>> connections;
    private volatile boolean stopping;

    /**
     * @param config      the limits
     * @param connections the server's open connections, for join time-outs and shutdown
     * @param timer       runs delayed closes
     */
    public Router(RelayConfig config, Supplier<Collection<WebSocket>> connections, ScheduledExecutorService timer) {
        this.config = config;
        this.log = new RelayLog(config.log(), config.verbose());
        this.flow = new Flow(config, registry, counters, log, timer);
        this.connections = connections;
    }

    void info(String line) {
        log.info(line);
    }

    void opened(WebSocket conn, String resource) {
        try {
            handleOpened(conn, resource);
        } finally {
            flow.runDeferred();
        }
    }

    private void handleOpened(WebSocket conn, String resource) {
        InetSocketAddress remote = conn.getRemoteSocketAddress();
        String address = remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
        conn.setAttachment(new ConnState(flow.now(), address));
        String path = resource == null ? "" : resource.replaceFirst("\\?.*$", "");
        if (stopping) {
            refuse(conn, ErrorCode.SHUTTING_DOWN, "the relay is shutting down");
        } else if (!"/ws".equals(path)) {
            refuse(conn, ErrorCode.BAD_REQUEST, "unknown path: the relay listens on /ws");
        }
    }

    void text(WebSocket conn, String text) {
        try {
            handleText(conn, text);
        } finally {
            flow.runDeferred();
        }
    }

    private void handleText(WebSocket conn, String text) {
        ConnState st = conn.getAttachment();
        if (st == null || st.refused) {
            return;
        }
        JsonNode msg = Control.parse(text);
        String action = msg == null ? null : textField(msg, "action");
        Channel ch = st.channel;
        if (ch == null) {
            if (st.role != null) {
                return; // replaced by a resumed connection; it is being closed
            }
            if (msg == null) {
                refuse(conn, ErrorCode.BAD_REQUEST, "the first message must be a JSON join or resume");
            } else if ("join".equals(action)) {
                join(conn, st, msg);
            } else if ("resume".equals(action)) {
                resume(conn, st, msg);
            } else {
                refuse(conn, ErrorCode.BAD_REQUEST, "unknown action: expected join or resume");
            }
            return;
        }
        synchronized (ch) {
            Side s = flow.current(ch, st, conn);
            if (s == null) {
                return;
            }
            if (!ch.controlRate.tryTake(1, flow.now())) {
                flow.end(ch, ErrorCode.RATE_LIMITED, "too many control messages; channel closed");
            } else if (msg == null) {
                flow.end(ch, ErrorCode.BAD_REQUEST, "a side sent a control message that is not JSON; channel closed");
            } else if ("ack".equals(action) && msg.path("received").canConvertToLong()) {
                flow.confirm(ch, s, msg.get("received").asLong());
            } else if ("ping".equals(action)) {
                ch.lastActivity = flow.now();
                Wire.text(conn, Control.pong());
            } else if ("close".equals(action)) {
                flow.leave(ch, s);
            } else {
                flow.end(ch, ErrorCode.BAD_REQUEST, "a side sent an unknown control message; channel closed");
            }
        }
    }

    void binary(WebSocket conn, ByteBuffer frame) {
        try {
            handleBinary(conn, frame);
        } finally {
            flow.runDeferred();
        }
    }

    private void handleBinary(WebSocket conn, ByteBuffer frame) {
        ConnState st = conn.getAttachment();
        if (st == null || st.refused) {
            return;
        }
        Channel ch = st.channel;
        if (ch == null) {
            if (st.role == null) {
                refuse(conn, ErrorCode.BAD_REQUEST, "a binary frame before the join");
            }
            return;
        }
        synchronized (ch) {
            Side s = flow.current(ch, st, conn);
            if (s != null) {
                flow.frame(ch, s, frame);
            }
        }
    }

    void closed(WebSocket conn, int code) {
        try {
            handleClosed(conn, code);
        } finally {
            flow.runDeferred();
        }
    }

    private void handleClosed(WebSocket conn, int code) {
        ConnState st = conn.getAttachment();
        Channel ch = st == null ? null : st.channel;
        if (ch == null) {
            return;
        }
        synchronized (ch) {
            Side s = flow.current(ch, st, conn);
            if (s == null) {
                return;
            }
            if (code == CloseFrame.TOOBIG) {
                flow.end(ch, ErrorCode.FRAME_TOO_LARGE, "a side sent a frame far over the "
                        + config.maxFrameBytes() + "-byte limit; channel closed");
            } else {
                flow.dropped(ch, s);
            }
        }
    }

    private void join(WebSocket conn, ConnState st, JsonNode msg) {
        Role role = Role.fromWire(textField(msg, "role"));
        if (role == null) {
            refuse(conn, ErrorCode.BAD_REQUEST, "role must be host or peer");
            return;
        }
        boolean ours = msg.path("protocol").asInt(1) >= 2;
        JsonNode codeNode = msg.get("code");
        if (codeNode == null || codeNode.isNull()) {
            if (role != Role.HOST || !ours) {
                refuse(conn, ErrorCode.BAD_REQUEST, "only a protocol-2 host may join without a code");
            } else {
                hostNew(conn, st);
            }
            return;
        }
        String code = codeNode.isTextual() ? codeNode.asText() : "";
        if (!CODE.matcher(code).matches()) {
            refuse(conn, ErrorCode.BAD_REQUEST, "a code is 1 to 128 letters, digits, '.', '_' or '-'");
            return;
        }
        String key = Registry.keyFor(code);
        if (registry.joinsBlocked(key, config.failedJoinsPerWindow(), config.rateWindow().toMillis(), flow.now())) {
            refuse(conn, ErrorCode.TOO_MANY_ATTEMPTS, "too many failed joins for this channel; try again later");
        } else if (role == Role.HOST) {
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
            Channel ch = new Channel(serial, key, key.substring(2), config, flow.now());
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
        Channel ch = new Channel(registry.nextSerial(), key, nameplate, config, flow.now());
        synchronized (ch) {
            if (registry.add(ch)) {
                openHost(conn, st, ch, ours);
                return;
            }
        }
        registry.leaveAddress(st.address);
        failJoin(conn, key, ErrorCode.HOST_EXISTS, "this channel already has a host");
    }

    /** Called with the new channel's lock held, right after it was registered. */
    private void openHost(WebSocket conn, ConnState st, Channel ch, boolean ours) {
        ch.addresses.add(st.address);
        Side h = ch.host;
        h.joined = true;
        h.resumable = ours;
        h.address = st.address;
        flow.attach(ch, h, conn);
        counters.channelsTotal.increment();
        if (ours) {
            h.token = registry.newToken(ch, Role.HOST);
            Wire.text(conn, Control.welcome(ch.nameplate, h.token, Role.HOST, config));
        }
        Wire.text(conn, Control.status("waiting"));
        log.detail(ch.label() + " opened by a " + (ours ? "protocol-2" : "protocol-1") + " host from " + st.address);
    }

    private void peer(WebSocket conn, ConnState st, String key, boolean ours) {
        Channel ch = registry.get(key);
        if (ch == null) {
            failJoin(conn, key, ErrorCode.NO_SUCH_CHANNEL, "no host is waiting on this channel");
            return;
        }
        synchronized (ch) {
            if (ch.ended || !ch.host.connected()) {
                failJoin(conn, key, ErrorCode.NO_SUCH_CHANNEL, "no host is waiting on this channel");
                return;
            }
            if (ch.peer.joined) {
                failJoin(conn, key, ErrorCode.CHANNEL_FULL, "this channel already has its peer");
                return;
            }
            if (!ch.addresses.contains(st.address)) {
                if (!enterAddress(conn, st)) {
                    return;
                }
                ch.addresses.add(st.address);
            }
            Side p = ch.peer;
            p.joined = true;
            p.resumable = ours;
            p.address = st.address;
            flow.attach(ch, p, conn);
            if (ours) {
                p.token = registry.newToken(ch, Role.PEER);
                Wire.text(conn, Control.welcome(ch.nameplate, p.token, Role.PEER, config));
            }
            ch.paired = true;
            counters.channelsPaired.incrementAndGet();
            // As the reference relay: a protocol-1 side hears "paired" only as the answer to its own
            // join. A waiting protocol-1 host takes every later message, text or binary, for a frame
            // (websockets >= 13 with recv(decode=False)), so it must get nothing but the peer's frames.
            Wire.text(p.conn, ours ? Control.pairedV2(ch.host.resumable) : Control.status("paired"));
            if (ch.host.resumable) {
                Wire.text(ch.host.conn, Control.pairedV2(ours));
            }
            flow.deliver(ch, p);
            log.detail(ch.label() + " paired with a " + (ours ? "protocol-2" : "protocol-1") + " peer from " + st.address);
        }
    }

    private void resume(WebSocket conn, ConnState st, JsonNode msg) {
        String token = textField(msg, "token");
        JsonNode received = msg.get("received");
        if (token == null || received == null || !received.canConvertToLong() || received.asLong() < 0) {
            refuse(conn, ErrorCode.BAD_REQUEST, "resume needs a token and the count of frames received");
            return;
        }
        Registry.TokenRef ref = registry.resolve(token);
        if (ref == null) {
            refuse(conn, ErrorCode.RESUME_FAILED, "unknown or expired resume token");
            return;
        }
        Channel ch = ref.channel();
        synchronized (ch) {
            if (ch.ended) {
                refuse(conn, ErrorCode.RESUME_FAILED, "the channel has ended");
                return;
            }
            Side s = ch.side(ref.role());
            if (s.leaving) {
                refuse(conn, ErrorCode.RESUME_FAILED, "this side has closed the channel");
                return;
            }
            Direction in = ch.to(s);
            long from = received.asLong();
            if (from < in.base() || from > in.delivered()) {
                String why = "cannot resume from frame " + from + ": the relay holds frames " + in.base()
                        + " to " + in.delivered() + "; channel closed";
                refuse(conn, ErrorCode.RESUME_GAP, why);
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
            Side o = ch.other(s);
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

    /** Runs the clocks: channel inactivity and resume grace, join time-outs, old failure records. */
    public void sweep() {
        try {
            handleSweep();
        } finally {
            flow.runDeferred();
        }
    }

    private void handleSweep() {
        long now = flow.now();
        registry.forgetOldFailures(config.rateWindow().toMillis(), now);
        for (Channel ch : registry.channels()) {
            synchronized (ch) {
                if (!ch.ended) {
                    flow.sweep(ch, now);
                }
            }
        }
        long joinTimeout = config.joinTimeout().toMillis();
        for (WebSocket conn : connections.get()) {
            ConnState st = conn.getAttachment();
            if (st != null && st.role == null && !st.refused && now - st.openedAt >= joinTimeout) {
                refuse(conn, ErrorCode.JOIN_TIMEOUT, "no join within " + config.joinTimeout().toSeconds() + " s");
            }
        }
    }

    /** Tells every client the relay is going away and closes every channel. */
    public void shutdown() {
        try {
            handleShutdown();
        } finally {
            flow.runDeferred();
        }
    }

    private void handleShutdown() {
        stopping = true;
        for (Channel ch : registry.channels()) {
            synchronized (ch) {
                flow.end(ch, ErrorCode.SHUTTING_DOWN, "the relay is shutting down");
            }
        }
        for (WebSocket conn : connections.get()) {
            ConnState st = conn.getAttachment();
            if (st != null && st.channel == null && !st.refused) {
                refuse(conn, ErrorCode.SHUTTING_DOWN, "the relay is shutting down");
            }
        }
    }

    /** @return the counters now */
    public RelayStats stats() {
        int open = 0;
        for (WebSocket ignored : connections.get()) {
            open++;
        }
        return new RelayStats(open, registry.channelCount(), counters.channelsPaired.get(),
                counters.channelsTotal.sum(), counters.framesForwarded.sum(), counters.bytesForwarded.sum(),
                counters.resumes.sum(), registry.bufferedBytes(), counters.refusals());
    }

    private boolean enterAddress(WebSocket conn, ConnState st) {
        if (registry.enterAddress(st.address, config.maxChannelsPerAddress())) {
            return true;
        }
        refuse(conn, ErrorCode.TOO_MANY_CHANNELS, "this address already takes part in "
                + config.maxChannelsPerAddress() + " channels");
        return false;
    }

    private void failJoin(WebSocket conn, String key, ErrorCode code, String message) {
        registry.recordFailedJoin(key, config.rateWindow().toMillis(), flow.now());
        refuse(conn, code, message);
    }

    private void refuse(WebSocket conn, ErrorCode code, String message) {
        ConnState st = conn.getAttachment();
        if (st != null) {
            st.refused = true;
        }
        counters.refusal(code);
        Wire.text(conn, Control.error(code, message));
        flow.closeLater(conn, code == ErrorCode.SHUTTING_DOWN ? CloseFrame.GOING_AWAY : CloseFrame.POLICY_VALIDATION,
                code.wire());
    }

    private static String textField(JsonNode msg, String name) {
        JsonNode n = msg.get(name);
        return n != null && n.isTextual() ? n.asText() : null;
    }
}
