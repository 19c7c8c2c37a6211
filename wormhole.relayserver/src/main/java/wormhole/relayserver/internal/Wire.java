package wormhole.relayserver.internal;

import java.nio.ByteBuffer;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.exceptions.WebsocketNotConnectedException;

/** Writes to a connection without throwing when it is already gone. */
final class Wire {
    private Wire() {
    }

    static void text(WebSocket conn, String text) {
        if (conn == null) {
            return;
        }
        try {
            conn.send(text);
        } catch (WebsocketNotConnectedException e) {
            // The connection is gone; its close callback does the bookkeeping.
        }
    }

    static void binary(WebSocket conn, ByteBuffer frame) {
        try {
            conn.send(frame);
        } catch (WebsocketNotConnectedException e) {
            // As above.
        }
    }

    /** @return bytes waiting in the connection's outgoing queue (written but not yet on the socket) */
    static long queuedBytes(WebSocket conn) {
        if (!(conn instanceof WebSocketImpl impl)) {
            return 0;
        }
        long sum = 0;
        for (ByteBuffer b : impl.outQueue) {
            sum += b.remaining();
        }
        return sum;
    }
}
