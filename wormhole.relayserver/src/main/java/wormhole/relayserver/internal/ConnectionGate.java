package wormhole.relayserver.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.enums.ReadyState;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;

/**
 * Admission of TCP connections, before any WebSocket or relay state exists: live connections per
 * client address and in total, and the deadline for the WebSocket upgrade. A connection from a
 * trusted proxy is counted under the client address its {@code X-Forwarded-For} names, once the
 * upgrade request shows it; until then it counts only in the total.
 */
final class ConnectionGate {
    /** What the gate knows of one admitted connection. */
    private static final class Admitted {
        final long acceptedAt;
        final InetAddress socketAddress;
        /** The address counted against the per-address limit, or null while none is. */
        volatile String counted;
        /** The upgrade was answered: the relay's {@code onOpen} follows. */
        volatile boolean answered;
        /** The relay's {@code onOpen} ran before it began to stop; guarded by the gate. */
        boolean openedBeforeClose;
        /** The relay's {@code onOpen} is done; guarded by the gate. */
        boolean opened;

        Admitted(long acceptedAt, InetAddress socketAddress, String counted) {
            this.acceptedAt = acceptedAt;
            this.socketAddress = socketAddress;
            this.counted = counted;
        }
    }

    /** Why a connection was not admitted. */
    enum Refusal { TOTAL, PER_ADDRESS }

    private final int maxTotal;
    private final int maxPerAddress;
    private final List<AddressRange> trustedProxies;
    private final Map<WebSocket, Admitted> admitted = new ConcurrentHashMap<>();
    private final Quota perAddress = new Quota();
    private final AtomicInteger total = new AtomicInteger();
    /** The relay is stopping; guarded by the gate. */
    private boolean closing;

    ConnectionGate(int maxTotal, int maxPerAddress, List<AddressRange> trustedProxies) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    /**
     * Counts a just-accepted TCP connection in, unless that would pass a limit.
     *
     * @return null when admitted, else why not (nothing is counted then)
     */
    Refusal admit(WebSocket conn, InetSocketAddress remote, long now) {
        InetAddress ip = remote == null ? null : remote.getAddress();
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return Refusal.TOTAL;
        }
        String counted = null;
        if (!isTrustedProxy(ip)) {
            counted = ip == null ? "unknown" : ip.getHostAddress();
            if (!enter(counted)) {
                total.decrementAndGet();
                return Refusal.PER_ADDRESS;
            }
        }
        admitted.put(conn, new Admitted(now, ip, counted));
        return null;
    }

    /**
     * The client address of an upgraded connection: its socket's, or for a trusted proxy the one its
     * {@code X-Forwarded-For} names (the last hop not itself a trusted proxy). A proxied connection is
     * counted under that address now.
     *
     * @return the address, or null when counting it would pass the per-address limit
     */
    String clientAddress(WebSocket conn, ClientHandshake request) {
        Admitted a = admitted.get(conn);
        if (a == null) {
            return "unknown";
        }
        if (a.counted != null) {
            return a.counted;
        }
        String client = forwardedFor(request.getFieldValue("X-Forwarded-For"), a.socketAddress);
        if (!enter(client)) {
            return null;
        }
        a.counted = client;
        return client;
    }

    /** The library is about to answer this connection's upgrade, so the relay's {@code onOpen} follows. */
    void answering(WebSocket conn) {
        Admitted a = admitted.get(conn);
        if (a != null) {
            a.answered = true;
        }
    }

    /**
     * The relay's {@code onOpen} runs for this connection (after it set the connection's state).
     *
     * @return false when the relay is stopping: the caller tells the client, since {@link #openedBeforeClose()}
     *         does not list it
     */
    synchronized boolean opening(WebSocket conn) {
        Admitted a = admitted.get(conn);
        if (a != null) {
            a.openedBeforeClose = !closing;
        }
        return !closing;
    }

    /** The relay's {@code onOpen} is done with this connection, having told it whatever it had to. */
    synchronized void opened(WebSocket conn) {
        Admitted a = admitted.get(conn);
        if (a != null) {
            a.opened = true;
            notifyAll();
        }
    }

    /** The relay is stopping: from now on {@link #opening} returns false. */
    synchronized void close() {
        closing = true;
    }

    synchronized boolean closing() {
        return closing;
    }

    /**
     * @return the open connections whose {@code onOpen} ran before {@link #close()}: the ones the
     *         relay tells of its shutdown itself (the others hear it from {@code onOpen})
     */
    synchronized List<WebSocket> openedBeforeClose() {
        return admitted.entrySet().stream()
                .filter(e -> e.getValue().openedBeforeClose && e.getKey().isOpen())
                .map(Map.Entry::getKey)
                .toList();
    }

    /**
     * Waits until every connection whose upgrade was answered has had its {@code onOpen} (or is gone),
     * so that a stopping relay tells it why before the library closes it.
     *
     * @param millis the longest wait
     */
    synchronized void awaitOpens(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        for (long left = millis; left > 0 && admitted.values().stream().anyMatch(a -> a.answered && !a.opened);
                left = (deadline - System.nanoTime()) / 1_000_000) {
            wait(left);
        }
    }

    /** Cuts the connections still in their upgrade, which a stopping relay no longer answers. */
    void cutUnanswered() {
        for (Map.Entry<WebSocket, Admitted> e : admitted.entrySet()) {
            if (!e.getValue().answered && e.getKey().getReadyState() == ReadyState.NOT_YET_CONNECTED) {
                cut(e.getKey(), CloseFrame.NEVER_CONNECTED, "the relay is stopping");
            }
        }
    }

    /**
     * Waits until every connection has closed.
     *
     * @param millis the longest wait
     */
    synchronized void awaitDrained(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        for (long left = millis; left > 0 && !admitted.isEmpty(); left = (deadline - System.nanoTime()) / 1_000_000) {
            wait(left);
        }
    }

    /** Closes the TCP connection of every connection still counted, without a closing handshake. */
    void cutAll(String reason) {
        for (WebSocket conn : List.copyOf(admitted.keySet())) {
            cut(conn, CloseFrame.GOING_AWAY, reason);
        }
    }

    /** Counts a connection out and closes its TCP connection at once. */
    void cut(WebSocket conn, int code, String reason) {
        release(conn);
        ((WebSocketImpl) conn).closeConnection(code, reason);
    }

    /** Counts a closed connection out; safe to call more than once. */
    void release(WebSocket conn) {
        Admitted a = admitted.remove(conn);
        if (a == null) {
            return;
        }
        synchronized (this) {
            notifyAll();
        }
        total.decrementAndGet();
        if (a.counted != null) {
            perAddress.release(a.counted, 1);
        }
    }

    /** @return the connections admitted more than {@code millis} ago that have not finished their upgrade */
    List<WebSocket> notUpgradedSince(long now, long millis) {
        return admitted.entrySet().stream()
                .filter(e -> now - e.getValue().acceptedAt >= millis
                        && e.getKey().getReadyState() == ReadyState.NOT_YET_CONNECTED)
                .map(Map.Entry::getKey)
                .toList();
    }

    /** @return the connections that finished their upgrade and are still open */
    List<WebSocket> upgraded() {
        return admitted.keySet().stream().filter(WebSocket::isOpen).toList();
    }

    int open() {
        return total.get();
    }

    boolean full() {
        return total.get() >= maxTotal;
    }

    private boolean enter(String address) {
        return perAddress.tryAdd(address, 1, maxPerAddress);
    }

    private boolean isTrustedProxy(InetAddress ip) {
        if (ip == null) {
            return false;
        }
        for (AddressRange r : trustedProxies) {
            if (r.contains(ip)) {
                return true;
            }
        }
        return false;
    }

    /** Walks {@code X-Forwarded-For} from the right, past trusted proxies, to the client. */
    private String forwardedFor(String header, InetAddress proxy) {
        String fallback = proxy == null ? "unknown" : proxy.getHostAddress();
        if (header == null || header.isBlank()) {
            return fallback;
        }
        String[] hops = header.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            InetAddress ip = AddressRange.literal(hop);
            if (ip == null) {
                return fallback; // not an address: believe nothing further left
            }
            if (!isTrustedProxy(ip)) {
                return ip.getHostAddress();
            }
        }
        return fallback;
    }
}
