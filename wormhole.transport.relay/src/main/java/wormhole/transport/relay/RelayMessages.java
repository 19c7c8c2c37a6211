package wormhole.transport.relay;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import wormhole.api.spi.LinkEvent;

/**
 * What the relay says to a session, on the connections' threads: the join's answers and statuses,
 * confirmations, the resume's answer and errors (docs/relay-protocol.md), binary messages into the
 * inbox, and the end of a connection, which starts a resume when the session can resume.
 * Messages from a connection that is no longer the session's current one are ignored.
 */
final class RelayMessages {
    private final SessionState s;
    private final Resumer resumer;

    RelayMessages(SessionState s, Dialer dialer) {
        this.s = s;
        this.resumer = new Resumer(s, dialer, this);
    }

    void onText(Connection c, String text) {
        s.lock.lock();
        try {
            if (c != s.current) {
                return;
            }
            JsonNode m = Json.parse(text);
            if (m == null) {
                return;
            }
            switch (m.path("type").asText()) {
                case "welcome" -> welcome(c, m);
                case "status" -> {
                    // The join's answer from a relay without a welcome (a Python relay) sets its limits.
                    c.allowBinary(s.limits.maxMessageBytes());
                    status(m);
                }
                case "ack" -> {
                    s.out.relayReceived(m.path("received").asLong());
                    s.out.peerConsumed(m.path("consumed").asLong());
                }
                case "resumed" -> s.resumeReply = m;
                case "error" -> s.failure = new IOException("relay: " + m.path("message").asText("unexplained error")
                        + " (" + m.path("code").asText("error") + ")");
                default -> {
                    // pong, and anything a newer relay may add
                }
            }
            s.changed.signalAll();
        } finally {
            s.lock.unlock();
            s.fire();
        }
    }

    private void welcome(Connection c, JsonNode m) {
        s.v2 = true;
        s.token = m.path("token").asText(null);
        s.nameplate = m.path("nameplate").asText(null);
        s.limits = Limits.from(m.path("limits"));
        c.allowBinary(s.limits.maxMessageBytes());
        long idle = m.path("limits").path("inactivity_ms").asLong(0);
        s.idleLimitMillis = idle > 0 ? idle : SessionState.REFERENCE_IDLE_MILLIS;
        s.pacer = new Pacer(s.limits, System.nanoTime());
    }

    private void status(JsonNode m) {
        switch (m.path("event").asText()) {
            case "waiting" -> {
                s.waiting = true;
                s.emit(LinkEvent.WAITING, "");
            }
            case "paired" -> {
                s.paired = true;
                s.bundling = s.v2 && m.path("peer_protocol").asInt(1) >= 2;
                s.emit(LinkEvent.PAIRED, "");
            }
            case "peer_disconnected" -> {
                if (!s.v2 || m.path("final").asBoolean(false)) {
                    s.peerClosed = true;
                } else {
                    s.emit(LinkEvent.PEER_DISCONNECTED, "the peer lost its connection to the relay");
                }
            }
            case "peer_reconnected" -> s.emit(LinkEvent.RECONNECTED, "the peer is back");
            default -> {
                // unknown events are ignored, as the Python client does
            }
        }
    }

    void onBinary(Connection c, byte[] message) {
        s.lock.lock();
        try {
            if (c != s.current) {
                return;
            }
            if (s.host && !s.v2 && !s.paired) {
                // A Python relay tells a waiting host nothing when its peer joins: the peer's first
                // frame is the news.
                s.paired = true;
                s.emit(LinkEvent.PAIRED, "");
            }
            try {
                s.in.add(message, s.bundling, s.limits.maxFrameBytes(),
                        Math.min(s.limits.bufferBytes(), Session.MAX_INBOX_BYTES) + s.limits.maxMessageBytes());
            } catch (IOException e) {
                s.failure = e;
                // Stop hearing a relay that broke a limit, and close its socket.
                s.current = null;
                c.cut();
            }
            s.changed.signalAll();
        } finally {
            s.lock.unlock();
            s.fire();
        }
    }

    /** The connection's draft refused a message over the limit; it closes the connection itself. */
    void onRefused(Connection c, String why) {
        s.lock.lock();
        try {
            if (c != s.current) {
                return;
            }
            s.current = null;
            s.fail(new IOException("relay: " + why));
        } finally {
            s.lock.unlock();
        }
    }

    void onClosed(Connection c, String why) {
        s.lock.lock();
        try {
            if (c != s.current) {
                return;
            }
            s.current = null;
            s.changed.signalAll();
            if (s.failure != null || s.closed || s.peerClosed || s.reconnecting) {
                return; // over, or a resume attempt failed and its loop will try again
            }
            if (s.closing || !s.v2 || s.token == null) {
                s.failure = new IOException("lost the relay connection: " + why);
                return;
            }
            s.reconnecting = true;
            s.emit(LinkEvent.RECONNECTING, why);
            resumer.start();
        } finally {
            s.lock.unlock();
            s.fire();
        }
    }
}
