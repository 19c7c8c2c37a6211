package wormhole.transport.relay;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import wormhole.api.spi.LinkEvent;
import wormhole.api.spi.LinkSettings;

/**
 * Everything one side of a relay channel knows, shared by the parts of a {@link Session}: the
 * link's callers, the relay's messages ({@link RelayMessages}), the sender ({@link SendLoop}) and the
 * resume ({@link Resumer}). Every field is guarded by {@link #lock}, and {@link #changed} is
 * signalled whenever one changes; link events are queued under the lock and delivered by
 * {@link #fire} outside it, in order.
 */
final class SessionState {
    /** The reference relay's inactivity limit, for a relay that announces none. */
    static final long REFERENCE_IDLE_MILLIS = 3_600_000;

    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    final Outbox out = new Outbox();
    final Inbox in = new Inbox();
    final LinkSettings settings;
    final boolean host;

    private final Object fireLock = new Object();
    private final List<Runnable> pendingEvents = new ArrayList<>();

    /** The connection whose messages count; null while there is none. */
    Connection current;
    boolean reconnecting;
    /** The relay speaks protocol 2 (it sent a welcome). */
    boolean v2;
    /** Both ends speak protocol 2, so frames travel in bundles. */
    boolean bundling;
    boolean waiting;
    boolean paired;
    /** A message is being written outside the lock. */
    boolean inFlight;
    String token;
    String nameplate;
    Limits limits = Limits.REFERENCE;
    /** The relay's inactivity limit from its welcome (read without the lock). */
    volatile long idleLimitMillis = REFERENCE_IDLE_MILLIS;
    Pacer pacer = new Pacer(Limits.REFERENCE, System.nanoTime());
    /** The relay's answer to the resume in progress. */
    JsonNode resumeReply;
    IOException failure;
    boolean peerClosed;
    boolean closing;
    boolean closed;

    SessionState(LinkSettings settings, boolean host) {
        this.settings = settings;
        this.host = host;
    }

    /** Whether the join has been answered: registered (host) or paired. */
    boolean joined() {
        return host ? waiting || paired : paired;
    }

    /** Queues a link event; call with the lock held, then {@link #fire} without it. */
    void emit(LinkEvent event, String detail) {
        pendingEvents.add(() -> settings.observer().onLinkEvent(event, detail));
    }

    /** Calls the observer for pending events, in order, holding no session lock. */
    void fire() {
        synchronized (fireLock) {
            List<Runnable> batch;
            lock.lock();
            try {
                if (pendingEvents.isEmpty()) {
                    return;
                }
                batch = new ArrayList<>(pendingEvents);
                pendingEvents.clear();
            } finally {
                lock.unlock();
            }
            batch.forEach(Runnable::run);
        }
    }

    /** Fails when the link can no longer send; call with the lock held. */
    void checkUsable() throws IOException {
        if (closing || closed) {
            throw new IOException("the relay link is closed");
        }
        if (failure != null) {
            throw new IOException(failure.getMessage(), failure);
        }
        if (peerClosed) {
            throw new IOException("the peer has closed the channel");
        }
    }

    /** Records the first failure and wakes every waiter; call with the lock held. */
    void fail(IOException why) {
        if (failure == null) {
            failure = why;
        }
        changed.signalAll();
    }

    /** @return the relay's current limits, read under the lock */
    Limits limits() {
        lock.lock();
        try {
            return limits;
        } finally {
            lock.unlock();
        }
    }
}
