package wormhole.relayserver.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Memory for messages on their way in. The WebSocket library allocates a whole message as soon as
 * its header arrives, so many connections announcing large messages and then stalling could hold the
 * heap between them; each large message reserves its size here first, within a total and within a
 * per-address share, and gives it back once it has arrived (or its connection closed).
 */
final class IncomingBudget {
    /** Messages up to this size need no reservation: they cost little and arrive in one read or two. */
    static final int SMALL = 64 * 1024;

    private final long total;
    private final long perAddress;
    private final AtomicLong used = new AtomicLong();
    private final Quota byAddress = new Quota();

    /**
     * @param total      bytes of large incoming messages across the relay
     * @param perAddress bytes of them one client address may hold
     */
    IncomingBudget(long total, long perAddress) {
        this.total = total;
        this.perAddress = perAddress;
    }

    /** @return whether {@code bytes} were reserved for {@code address} (nothing is, when not) */
    boolean reserve(String address, long bytes) {
        if (used.addAndGet(bytes) > total) {
            used.addAndGet(-bytes);
            return false;
        }
        if (!byAddress.tryAdd(address, bytes, perAddress)) {
            used.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    void release(String address, long bytes) {
        if (bytes <= 0) {
            return;
        }
        used.addAndGet(-bytes);
        byAddress.release(address, bytes);
    }

    long used() {
        return used.get();
    }
}
