package wormhole.transport.direct;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** A TCP proxy on loopback whose connections a test can cut at once, as a dropped network would. */
final class CutProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private final List<Socket> live = new ArrayList<>();
    private final java.util.Set<Socket> frozen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean refusing;
    private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();

    CutProxy(int target) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.target = target;
        Daemons.start(this::acceptLoop, "test proxy");
    }

    int port() {
        return server.getLocalPort();
    }

    /** @return how many connections it took */
    int connections() {
        return connections.get();
    }

    /** While set, new connections are closed at once (the far end looks unreachable). */
    void refuse(boolean refuse) {
        refusing = refuse;
    }

    private void acceptLoop() {
        while (true) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            connections.incrementAndGet();
            if (refusing) {
                close(client);
                continue;
            }
            Socket up = new Socket();
            try {
                up.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 5000);
            } catch (IOException e) {
                close(client);
                close(up);
                continue;
            }
            synchronized (live) {
                live.add(client);
                live.add(up);
            }
            pump(client, up);
            pump(up, client);
        }
    }

    private void pump(Socket from, Socket to) {
        Daemons.start(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (!frozen.contains(from)) {
                        out.write(buffer, 0, n);
                    }
                }
            } catch (IOException e) {
                // cut
            } finally {
                close(from);
                close(to);
            }
        }, "test proxy pump");
    }

    /**
     * Stops forwarding on every connection it carries now, both ways, without closing anything: a
     * network that went silent (a roaming laptop, a NAT that forgot the connection). New
     * connections work as usual.
     */
    void freeze() {
        synchronized (live) {
            frozen.addAll(live);
        }
    }

    /** @return how many connection pairs were cut */
    int cut() {
        List<Socket> now;
        synchronized (live) {
            now = new ArrayList<>(live);
            live.clear();
        }
        int open = (int) now.stream().filter(s -> !s.isClosed()).count();
        now.forEach(CutProxy::close);
        return open / 2;
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // gone
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        cut();
    }
}
