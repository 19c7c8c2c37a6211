package wormhole.relayserver.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.CloseFrame;
import wormhole.relayserver.RelayConfig;

/**
 * What the relay does with a joined side's messages when its channel lives in this process (the
 * relay without {@code --redis}); {@link SharedRelay} is its counterpart for channels in Redis. Each
 * call holds the channel's lock and first checks that the connection is still the side's current one.
 */
record LocalRelay(RelayConfig config, Flow flow) {
    /** A control message (already parsed; null when it is not JSON). */
    void text(WebSocket conn, ConnState st, RelayChannel ch, JsonNode msg, String action) {
        synchronized (ch) {
            Seat s = flow.current(ch, st, conn);
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

    /** A binary message, never looked into. */
    void binary(WebSocket conn, ConnState st, RelayChannel ch, ByteBuffer frame) {
        synchronized (ch) {
            Seat s = flow.current(ch, st, conn);
            if (s != null) {
                flow.frame(ch, s, frame);
            }
        }
    }

    /** The side's connection closed, or was cut for a message it should not have sent ({@code cut}). */
    void closed(WebSocket conn, ConnState st, RelayChannel ch, GatedDraft.Cut cut, int code) {
        synchronized (ch) {
            Seat s = flow.current(ch, st, conn);
            if (s == null) {
                return;
            }
            if (cut == GatedDraft.Cut.NO_ROOM) {
                flow.end(ch, ErrorCode.RELAY_BUSY, "the relay had no room for a side's message; channel closed");
            } else if (cut == GatedDraft.Cut.TOO_LARGE || code == CloseFrame.TOOBIG) {
                flow.end(ch, ErrorCode.FRAME_TOO_LARGE, "a side sent a message over its "
                        + (ch.paired ? config.maxFrameBytes() + "-byte limit" : "limit before pairing")
                        + "; channel closed");
            } else {
                flow.dropped(ch, s);
            }
        }
    }
}
