package wormhole.relayserver.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.ScheduledExecutorService;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import wormhole.relayserver.RelayConfig;
import wormhole.relayserver.RelayStats;
import wormhole.relayserver.SharedStoreException;

/**
 * The relay's logic behind the WebSocket callbacks: admission of connections ({@link ConnectionGate}),
 * joins and resumes ({@link Joins}), and dispatch of a joined side's messages to {@link LocalRelay}
 * or, with {@code --redis}, {@link SharedRelay}. It never looks inside a binary frame.
 */
public final class Router {
    private final RelayConfig config;
    private final Registry registry = new Registry();
    private final Counters counters = new Counters();
    private final RelayLog log;
    private final Flow flow;
    private final Refusals refusals;
    private final LocalRelay local;
    private final Joins joins;
    private final ConnectionGate gate;
    /** With {@code --redis}: the channels shared with other instances; null for the relay in memory. */
    private final SharedRelay shared;
    private final SharedStore store;
    private final InboxReader reader;

    /**
     * @param config the limits
     * @param timer  runs delayed closes
     * @throws SharedStoreException when the configured Redis cannot be used
     */
    public Router(RelayConfig config, ScheduledExecutorService timer) throws SharedStoreException {
        this.config = config;
        this.log = new RelayLog(config.log(), config.verbose());
        this.flow = new Flow(config, registry, counters, log, timer);
        this.refusals = new Refusals(counters, flow);
        this.local = new LocalRelay(config, flow);
        if (config.redis() != null) {
            this.store = SharedStore.open(config.redis(), 5_000);
            this.shared = new SharedRelay(config, store, counters, flow, refusals, log);
            store.check(shared::unavailable); // Redis not reachable yet: /health says 503 until it is
            this.reader = new InboxReader(shared, store);
            reader.start();
        } else {
            this.store = null;
            this.shared = null;
            this.reader = null;
        }
        this.joins = new Joins(config, registry, counters, flow, refusals, log,
                shared == null ? null : new SharedJoins(config, store, counters, flow, refusals, log, shared));
        this.gate = new ConnectionGate(config.maxConnections(), config.maxConnectionsPerAddress(),
                config.trustedProxies().stream().map(AddressRange::parse).toList());
    }

    void info(String line) {
        log.info(line);
    }

    /**
     * A TCP connection was accepted: counts it in, or says why it must be cut at once.
     *
     * @return whether it is admitted
     */
    boolean accepted(WebSocket conn, InetSocketAddress remote) {
        ConnectionGate.Refusal r = gate.admit(conn, remote, flow.now());
        if (r != null) {
            counters.refusal(r == ConnectionGate.Refusal.TOTAL ? ErrorCode.RELAY_FULL : ErrorCode.TOO_MANY_CONNECTIONS);
        }
        return r == null;
    }

    /** Handling an event of {@code conn} threw: that connection ends, the relay goes on. */
    void internalError(WebSocket conn, RuntimeException e) {
        refusals.internalError(conn, e, log);
    }

    /** A connection is gone, whatever state it reached. */
    void released(WebSocket conn) {
        gate.release(conn);
    }

    /** @return whether the relay takes new connections (not stopping, not at its connection limit) */
    boolean accepting() {
        return !gate.closing() && !gate.full();
    }

    /** The library is about to answer a connection's WebSocket upgrade. */
    void answering(WebSocket conn) {
        gate.answering(conn);
    }

    void opened(WebSocket conn, ClientHandshake request) {
        try {
            String address = gate.clientAddress(conn, request);
            conn.setAttachment(new ConnState(flow.now(), address == null ? "unknown" : address));
            if (address != null && conn.getDraft() instanceof GatedDraft draft) {
                draft.clientAddress(address);
            }
            String resource = request.getResourceDescriptor();
            String path = resource == null ? "" : resource.replaceFirst("\\?.*$", "");
            if (!gate.opening(conn)) {
                refusals.refuse(conn, ErrorCode.SHUTTING_DOWN, "the relay is shutting down");
            } else if (address == null) {
                refusals.refuse(conn, ErrorCode.TOO_MANY_CONNECTIONS, "this address has "
                        + config.maxConnectionsPerAddress() + " connections open");
            } else if (!"/ws".equals(path)) {
                refusals.refuse(conn, ErrorCode.BAD_REQUEST, "unknown path: the relay listens on /ws");
            }
        } finally {
            gate.opened(conn);
            flow.runDeferred();
        }
    }

    /** Handles one callback, then runs what it deferred (closes and sends outside the channel's lock). */
    private void deferring(Runnable handling) {
        try {
            handling.run();
        } finally {
            flow.runDeferred();
        }
    }

    void text(WebSocket conn, String text) {
        deferring(() -> handleText(conn, text));
    }

    private void handleText(WebSocket conn, String text) {
        ConnState st = conn.getAttachment();
        if (st == null || st.refused) {
            return;
        }
        JsonNode msg = Control.parse(text);
        String action = msg == null ? null : Control.textField(msg, "action");
        SharedSeat seat = st.seat;
        if (seat != null) {
            shared.text(conn, seat, msg, action);
            return;
        }
        RelayChannel ch = st.channel;
        if (ch == null) {
            if (st.role == null && st.decide()) {
                joins.first(conn, st, msg, action);
            } // else: timed out, or replaced by a resumed connection; it is being closed
            return;
        }
        local.text(conn, st, ch, msg, action);
    }

    void binary(WebSocket conn, ByteBuffer frame) {
        deferring(() -> handleBinary(conn, frame));
    }

    private void handleBinary(WebSocket conn, ByteBuffer frame) {
        ConnState st = conn.getAttachment();
        if (st == null || st.refused) {
            return;
        }
        SharedSeat seat = st.seat;
        if (seat != null) {
            shared.binary(conn, seat, frame);
            return;
        }
        RelayChannel ch = st.channel;
        if (ch == null) {
            if (st.role == null && st.decide()) {
                refusals.refuse(conn, ErrorCode.BAD_REQUEST, "a binary frame before the join");
            }
            return;
        }
        local.binary(conn, st, ch, frame);
    }

    void closed(WebSocket conn, int code) {
        deferring(() -> handleClosed(conn, code));
    }

    private void handleClosed(WebSocket conn, int code) {
        ConnState st = conn.getAttachment();
        RelayChannel ch = st == null ? null : st.channel;
        GatedDraft.Cut cut = conn.getDraft() instanceof GatedDraft draft ? draft.cut() : GatedDraft.Cut.NONE;
        SharedSeat seat = st == null ? null : st.seat;
        if (seat != null) {
            shared.closed(conn, seat, cut, code);
            return;
        }
        if (ch == null) {
            if (st != null && st.role == null && !st.refused && cut == GatedDraft.Cut.TOO_LARGE) {
                counters.refusal(ErrorCode.MESSAGE_TOO_LARGE);
            }
            return;
        }
        local.closed(conn, st, ch, cut, code);
    }

    /** Runs the clocks: channel inactivity and resume grace, upgrade and join time-outs, old failure records. */
    public void sweep() {
        deferring(this::handleSweep);
    }

    private void handleSweep() {
        long now = flow.now();
        registry.forgetOldFailures(config.rateWindow().toMillis(), now);
        if (shared != null) {
            shared.sweep(now);
        }
        for (RelayChannel ch : registry.channels()) {
            synchronized (ch) {
                if (!ch.ended) {
                    flow.sweep(ch, now);
                }
            }
        }
        for (WebSocket conn : gate.notUpgradedSince(now, config.upgradeTimeout().toMillis())) {
            counters.refusal(ErrorCode.UPGRADE_TIMEOUT);
            gate.cut(conn, CloseFrame.NEVER_CONNECTED, "no WebSocket upgrade in time");
        }
        long joinTimeout = config.joinTimeout().toMillis();
        for (WebSocket conn : gate.upgraded()) {
            ConnState st = conn.getAttachment();
            if (st != null && st.role == null && !st.refused && now - st.openedAt >= joinTimeout && st.decide()) {
                refusals.refuse(conn, ErrorCode.JOIN_TIMEOUT, "no join within " + config.joinTimeout().toSeconds() + " s");
            }
        }
    }

    /**
     * Tells every client the relay is going away and closes every channel. A client whose upgrade
     * is being answered at this moment hears it too: this waits (a second at most) for its {@code onOpen}.
     */
    public void shutdown() {
        try {
            gate.close();
            if (shared != null) {
                reader.stop();
                shared.shutdown();
            }
            for (RelayChannel ch : registry.channels()) {
                synchronized (ch) {
                    flow.end(ch, ErrorCode.SHUTTING_DOWN, "the relay is shutting down");
                }
            }
            for (WebSocket conn : gate.openedBeforeClose()) {
                ConnState st = conn.getAttachment();
                // Not joined yet. (A side of a shared channel was joined: it goes with 1001 and no
                // error, so that its client resumes at another instance.)
                if (st.channel == null && st.role == null && !st.refused) {
                    refusals.refuse(conn, ErrorCode.SHUTTING_DOWN, "the relay is shutting down");
                }
            }
            gate.cutUnanswered();
            gate.awaitOpens(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            flow.runDeferred();
        }
    }

    /**
     * Gives the clients time to answer the closes {@link #shutdown()} sent, then cuts the TCP connection
     * of any that did not. The WebSocket library's own stop leaves such connections open.
     *
     * @param millis the longest wait for the clients
     */
    public void closeConnections(long millis) {
        try {
            gate.awaitDrained(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        gate.cutAll("the relay stopped");
    }

    /** @return why the relay cannot serve its channels now (its shared store is unreachable), or null */
    public String sharedFailure() {
        return shared == null ? null : shared.failure();
    }

    /** Closes the connections to the shared store, if any; after {@link #shutdown()}. */
    public void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /** @return the counters now */
    public RelayStats stats() {
        int channels = shared != null ? shared.channelCount() : registry.channelCount();
        return new RelayStats(gate.open(), channels, counters.channelsPaired.get(),
                counters.channelsTotal.sum(), counters.framesForwarded.sum(), counters.bytesForwarded.sum(),
                counters.resumes.sum(), registry.bufferedBytes(), counters.framesInLanes.sum(),
                counters.lanesOpened.sum(), counters.lanesHandedOver.sum(), counters.refusals());
    }
}
