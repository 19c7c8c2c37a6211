package wormhole.transport.relay;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import wormhole.api.spi.LinkEvent;
import wormhole.api.spi.Threads;

/**
 * Brings a session back after its connection dropped: reconnects with back-off (50 ms doubling to
 * 2 s) until the relay's resume grace has passed, sends the resume, and resends from where the relay's
 * answer says (docs/relay-protocol.md, section 3). Runs on its own thread, one at a time.
 */
final class Resumer {
    private static final long FIRST_BACKOFF_MILLIS = 50;
    private static final long MAX_BACKOFF_MILLIS = 2_000;

    private final SessionState s;
    private final Dialer dialer;
    private final RelayMessages listener;

    Resumer(SessionState s, Dialer dialer, RelayMessages listener) {
        this.s = s;
        this.dialer = dialer;
        this.listener = listener;
    }

    /** Starts resuming on a thread of its own; call once per drop. */
    void start() {
        Threads.start(s.settings.threads(), "relay-reconnect", this::reconnectLoop);
    }

    private void reconnectLoop() {
        dialer.moveOn(); // with several relay addresses, resume at the next one
        long grace = s.limits().resumeGraceMillis();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(grace);
        long backoff = FIRST_BACKOFF_MILLIS;
        String lastWhy = "no attempt finished";
        while (true) {
            s.lock.lock();
            try {
                if (s.failure != null || s.closed) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    s.failure = new IOException("lost the relay connection and could not resume within "
                            + grace / 1000 + " s: " + lastWhy);
                    s.changed.signalAll();
                    return;
                }
            } finally {
                s.lock.unlock();
            }
            try {
                if (attempt()) {
                    return;
                }
                lastWhy = "the relay did not answer the resume";
            } catch (IOException e) {
                lastWhy = e.getMessage();
            } finally {
                s.fire();
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
    }

    /** @return whether the session is settled (resumed, or failed for good) */
    private boolean attempt() throws IOException {
        Connection c = dialer.connect(listener, s.limits().maxMessageBytes());
        long received;
        String token;
        s.lock.lock();
        try {
            if (s.failure != null || s.closed) {
                received = -1;
                token = null;
            } else {
                s.current = c;
                s.resumeReply = null;
                received = s.in.received();
                token = s.token;
            }
        } finally {
            s.lock.unlock();
        }
        if (received < 0) {
            c.close(); // never under the lock (see Session.open)
            return true;
        }
        Dialer.transmit(c, Json.resume(token, received));
        Connection dropped = null;
        s.lock.lock();
        try {
            long deadline = System.nanoTime() + dialer.connectTimeout().toNanos();
            while (s.resumeReply == null && s.current == c && s.failure == null && !s.closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                s.changed.awaitNanos(left);
            }
            if (s.failure != null || s.closed) {
                return true;
            }
            if (s.resumeReply == null || s.current != c) {
                if (s.current == c) {
                    s.current = null;
                    dropped = c;
                }
                return false;
            }
            dropped = apply(s.resumeReply);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } finally {
            s.lock.unlock();
            if (dropped != null) {
                dropped.close(); // never under the lock (see Session.open)
            }
        }
    }

    /** Applies the relay's resume answer, holding the lock; @return a connection to close after it, or null */
    private Connection apply(JsonNode reply) {
        try {
            s.out.resumeFrom(reply.path("received").asLong());
        } catch (IOException gap) {
            s.failure = gap;
            Connection c = s.current;
            s.current = null;
            s.changed.signalAll();
            return c;
        }
        s.out.peerConsumed(reply.path("consumed").asLong());
        if (!"waiting".equals(reply.path("peer").asText()) && !s.paired) {
            s.paired = true;
            s.emit(LinkEvent.PAIRED, "");
        }
        if (reply.has("peer_protocol")) {
            s.bundling = reply.path("peer_protocol").asInt(1) >= 2;
        }
        s.reconnecting = false;
        s.emit(LinkEvent.RECONNECTED, "resumed without loss");
        s.changed.signalAll();
        return null;
    }
}
