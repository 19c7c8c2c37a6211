package wormhole.relayserver.internal;

import java.nio.ByteBuffer;
import org.java_websocket.WebSocket;
import org.java_websocket.exceptions.WebsocketNotConnectedException;

/**
 * Writes to a connection without throwing when it is already gone, and counts what it hands to a
 * connection for {@link #queuedBytes}: the library's public API only says whether anything is
 * waiting ({@link WebSocket#hasBufferedData()}), not how much.
 */
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
        int size = frame.remaining();
        if (conn.getAttachment() instanceof ConnState st) {
            synchronized (st) {
                if (!conn.hasBufferedData()) {
                    st.handedSinceEmpty = 0;
                }
                st.handedSinceEmpty += size;
            }
        }
        try {
            conn.send(frame);
        } catch (WebsocketNotConnectedException e) {
            // As above.
        }
    }

    /**
     * @return at least the bytes of binary messages waiting in the connection's outgoing queue: what
     *         was handed to it since its queue was last seen empty (0 once it is empty). An upper
     *         bound, so it is checked only for receivers whose held frames are not otherwise bounded.
     */
    static long queuedBytes(WebSocket conn) {
        if (conn == null || !conn.hasBufferedData() || !(conn.getAttachment() instanceof ConnState st)) {
            return 0;
        }
        synchronized (st) {
            return st.handedSinceEmpty;
        }
    }
}
