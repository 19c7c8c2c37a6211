package wormhole.relayserver.internal;

import org.java_websocket.WebSocket;

/** One side of a channel: its current connection (if any) and its resume state. Guarded by the channel. */
final class Seat {
    final Party role;
    /** Whether this side speaks our protocol (it has a token, confirms frames and may resume). */
    boolean resumable;
    String token;
    boolean joined;
    String address;
    WebSocket conn;
    /** When the connection dropped (clock millis), or -1 while connected or never joined. */
    long absentSince = -1;
    /** The side asked to close the channel; it ends once the other side has everything. */
    boolean leaving;
    /** What the last ack sent to this side said, to throttle acks. */
    long ackedAccepted;
    long ackedReleased;
    long bytesSinceAck;

    Seat(Party role) {
        this.role = role;
    }

    boolean connected() {
        return conn != null;
    }
}
