package wormhole.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of one target port, whose live connections a test can cut at
 * once (both sockets closed, as a dropped network would) while it keeps accepting new ones, cut
 * after a number of bytes, freeze (a network gone silent), or refuse new connections (a far end
 * gone unreachable): connections are cut from outside, as the network would, never by a hook in
 * the code under test.
 */
public final class CuttableProxy implements AutoCloseable {
    private final ServerSocket server;
    private volatile InetSocketAddress target;
    private final List<Socket> live = new ArrayList<>();
    private final Set<Socket> frozen = ConcurrentHashMap.newKeySet();
    private volatile boolean refusing;
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;
    private final Object tripLock = new Object();
    private Direction armed;
    private long bytesLeft;
    private CountDownLatch tripped = new CountDownLatch(0);

    /** Which way bytes go through the proxy. */
    public enum Direction {
        /** From the client to the target. */
        UP,
        /** From the target to the client. */
        DOWN
    }

    private CuttableProxy(ServerSocket server, InetSocketAddress target) {
        this.server = server;
        this.target = target;
        this.acceptor = new Thread(this::acceptLoop, "proxy accept");
        this.acceptor.setDaemon(true);
    }

    /** Starts a proxy to a port of 127.0.0.1. */
    public static CuttableProxy start(int targetPort) throws IOException {
        return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
    }

    /**
     * Starts a proxy on a given address: for a direct channel, whose code names the host's port,
     * the same port on another loopback address (127.0.0.2) in front of the host's 127.0.0.1.
     */
    public static CuttableProxy start(InetSocketAddress listen, InetSocketAddress target) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(listen, 50);
        CuttableProxy proxy = new CuttableProxy(server, target);
        proxy.acceptor.start();
        return proxy;
    }

    /** Sends new connections to another port of 127.0.0.1 (a load balancer moving off a dead instance). */
    public void retarget(int targetPort) {
        target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
    }

    /** @return the port it listens on */
    public int port() {
        return server.getLocalPort();
    }

    /** @return how many client connections it has taken so far */
    public int accepted() {
        return accepted.get();
    }

    /** @param refuse while true, new connections are closed at once (the far end looks unreachable) */
    public void refuse(boolean refuse) {
        refusing = refuse;
    }

    /**
     * Stops forwarding on every connection it carries now, both ways, without closing anything: a
     * network that went silent (a roaming laptop, a NAT that forgot the connection). New connections
     * work as usual.
     */
    public void freeze() {
        synchronized (live) {
            frozen.addAll(live);
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            if (refusing) {
                closeQuietly(client);
                continue;
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(target, 5000);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            synchronized (live) {
                live.add(client);
                live.add(upstream);
            }
            pump(client, upstream, Direction.UP);
            pump(upstream, client, Direction.DOWN);
        }
    }

    private void pump(Socket from, Socket to, Direction direction) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (frozen.contains(from)) {
                        continue;
                    }
                    int pass = passable(direction, n);
                    out.write(buffer, 0, pass);
                    out.flush();
                    if (tripIfDue(direction)) {
                        return;
                    }
                }
            } catch (IOException e) {
                // cut or closed: the other direction ends as well
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "proxy " + direction);
        t.setDaemon(true);
        t.start();
    }

    /**
     * Arms a cut: once this many more bytes have gone the given way, the rest of that read is
     * dropped and every connection is cut, in the middle of whatever message was passing.
     *
     * @param direction which way to count
     * @param bytes how many bytes to let through first (at least 1)
     * @return a latch that opens when the cut has happened
     */
    public CountDownLatch cutAfter(Direction direction, long bytes) {
        synchronized (tripLock) {
            armed = direction;
            bytesLeft = bytes;
            tripped = new CountDownLatch(1);
            return tripped;
        }
    }

    /** @return how many of n bytes just read may pass before an armed cut */
    private int passable(Direction direction, int n) {
        synchronized (tripLock) {
            if (armed != direction) {
                return n;
            }
            int pass = (int) Math.min(n, bytesLeft);
            bytesLeft -= pass;
            return pass;
        }
    }

    /** Cuts every connection, once, when an armed count has run out. */
    private boolean tripIfDue(Direction direction) {
        synchronized (tripLock) {
            if (armed != direction || bytesLeft > 0) {
                return false;
            }
            armed = null;
            cut();
            tripped.countDown();
            return true;
        }
    }

    /**
     * Closes every connection it carries now, on both sides, and keeps accepting.
     *
     * @return how many connection pairs were cut
     */
    public int cut() {
        List<Socket> now;
        synchronized (live) {
            now = new ArrayList<>(live);
            live.clear();
        }
        // Count first: closing one socket makes its pump thread close the other at once.
        int open = (int) now.stream().filter(s -> !s.isClosed()).count();
        now.forEach(CuttableProxy::closeQuietly);
        return open / 2;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        cut();
    }
}
