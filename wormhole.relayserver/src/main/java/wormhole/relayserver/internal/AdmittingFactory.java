package wormhole.relayserver.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.drafts.Draft;

/**
 * Wraps the server's connection factory (plain or TLS) so that every accepted TCP connection passes
 * the {@link Router}'s admission first. The library offers no earlier per-connection hook: its
 * {@code onConnect} sees only the listening socket. A refused connection is closed before a byte of
 * it is read.
 */
record AdmittingFactory(WebSocketServerFactory inner, Router router) implements WebSocketServerFactory {
    @Override
    public WebSocketImpl createWebSocket(WebSocketAdapter a, Draft d) {
        return inner.createWebSocket(a, d);
    }

    @Override
    public WebSocketImpl createWebSocket(WebSocketAdapter a, List<Draft> drafts) {
        return inner.createWebSocket(a, drafts);
    }

    @Override
    public ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) throws IOException {
        WebSocketImpl conn = (WebSocketImpl) key.attachment();
        if (!router.accepted(conn, (InetSocketAddress) channel.getRemoteAddress())) {
            throw new IOException("connection refused by the relay's admission limits");
        }
        try {
            return inner.wrapChannel(channel, key);
        } catch (IOException | RuntimeException e) {
            router.released(conn);
            throw e;
        }
    }

    @Override
    public void close() {
        inner.close();
    }
}
