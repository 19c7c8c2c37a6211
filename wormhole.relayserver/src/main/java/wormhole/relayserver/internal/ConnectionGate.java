package wormhole.relayserver.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.WebSocket;
import org.java_websocket.enums.ReadyState;
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

    /** Counts a closed connection out; safe to call more than once. */
    void release(WebSocket conn) {
        Admitted a = admitted.remove(conn);
        if (a == null) {
            return;
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
