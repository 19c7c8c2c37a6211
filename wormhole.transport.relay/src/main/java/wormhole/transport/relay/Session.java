package wormhole.transport.relay;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import wormhole.api.spi.FrameTooLargeException;
import wormhole.api.spi.LinkSettings;

/**
 * One side of one relay channel, across however many WebSocket connections it takes, as its link
 * sees it: joins, then sends through a queue that a {@link SendLoop} drains, receives from the
 * {@link Inbox} that {@link RelayMessages} fills, and closes with a goodbye. A drop is repaired by
 * a {@link Resumer} behind the link's back (docs/relay-protocol.md). The parts share one
 * {@link SessionState}.
 */
final class Session {
    private static final long FLUSH_ON_CLOSE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long CLOSE_WAIT_MILLIS = 2_000;

    /**
     * Received and not yet consumed, at most the relay's {@code buffer_bytes} and never more than this,
     * plus one message: a relay holds no more for us than that before we confirm. A Python relay has no
     * such limit and gets this bound.
     */
    static final long MAX_INBOX_BYTES = 32L * 1024 * 1024;

    /** send() blocks while this much is queued (a frame may always go into an empty queue). */
    private static final long SEND_QUEUE_BYTES = 2L * 1024 * 1024;

    private final SessionState s;
    private final Dialer dialer;
    private final RelayMessages messages;

    Session(Endpoints endpoints, LinkSettings settings, boolean host) {
        this.s = new SessionState(settings, host);
        this.dialer = new Dialer(endpoints, settings);
        this.messages = new RelayMessages(s, dialer);
    }

    /** Connects and joins; returns once registered (host) or paired (peer). */
    void open(String joinJson) throws IOException {
        Connection c = dialer.connect(messages, Connection.MAX_TEXT_BYTES);
        s.lock.lock();
        try {
            s.current = c;
        } finally {
            s.lock.unlock();
        }
        long deadline = System.nanoTime() + dialer.connectTimeout().toNanos();
        Dialer.transmit(c, joinJson);
        IOException failed = null;
        s.lock.lock();
        try {
            while (s.failure == null && !s.joined()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    s.failure = new SocketTimeoutException("the relay at " + dialer.where()
                            + " did not answer the join within " + dialer.connectTimeout().toSeconds() + " s");
                    break;
                }
                s.changed.awaitNanos(left);
            }
            // Joined, then failed at once (a refusal right behind the answer): the frames that came
            // before the failure are still delivered, and receive() reports it after them.
            if (s.failure != null && !s.joined()) {
                failed = s.failure;
                s.closed = true;
                s.current = null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed = new InterruptedIOException("interrupted while joining the relay");
            s.closed = true;
            s.current = null;
        } finally {
            s.lock.unlock();
            s.fire();
        }
        if (failed != null) {
            // Closed without the lock: the library's reading thread holds the connection's monitor while
            // it calls back into RelayMessages, which takes the lock; closing under it deadlocked.
            c.close();
            throw failed;
        }
        new SendLoop(s).start();
    }

    /** @return how long the relay keeps the channel without a frame, so the engine can keep it alive */
    Duration idleLimit() {
        return Duration.ofMillis(s.idleLimitMillis);
    }

    int maxFrameSize() {
        return s.limits().maxFrameBytes();
    }

    String nameplate() {
        s.lock.lock();
        try {
            return s.nameplate;
        } finally {
            s.lock.unlock();
        }
    }

    void send(byte[] frame) throws IOException {
        int max = maxFrameSize();
        if (frame.length > max) {
            throw new FrameTooLargeException(frame.length, max);
        }
        // The array is ours now (FrameLink.send), so it is queued as it is.
        s.lock.lock();
        try {
            while (true) {
                s.checkUsable();
                long queued = s.out.queuedBytes();
                if (queued == 0 || queued + frame.length <= SEND_QUEUE_BYTES) {
                    break;
                }
                s.changed.await();
            }
            s.out.enqueue(frame);
            s.changed.signalAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while sending");
        } finally {
            s.lock.unlock();
        }
    }

    byte[] receive() throws IOException {
        s.lock.lock();
        try {
            while (true) {
                if (s.closing || s.closed) {
                    throw new IOException("the relay link is closed");
                }
                if (!s.in.isEmpty()) {
                    byte[] f = s.in.take(System.nanoTime());
                    s.changed.signalAll();
                    return f;
                }
                if (s.failure != null) {
                    throw new IOException(s.failure.getMessage(), s.failure);
                }
                if (s.peerClosed) {
                    throw new EOFException("the peer closed the channel");
                }
                s.changed.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while receiving");
        } finally {
            s.lock.unlock();
        }
    }

    /** Waits until the channel is paired (host side). */
    void awaitPaired(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        s.lock.lock();
        try {
            while (!s.paired) {
                s.checkUsable();
                if (timeout.isZero()) {
                    s.changed.await();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new SocketTimeoutException("no peer joined within " + timeout.toSeconds() + " s");
                    }
                    s.changed.awaitNanos(left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the peer");
        } finally {
            s.lock.unlock();
        }
    }

    /**
     * Sends what is queued (for a few seconds at most), tells the relay this side is done, and
     * closes. A blocked receive fails at once.
     */
    void close() {
        Connection c;
        boolean saidGoodbye = false;
        s.lock.lock();
        try {
            if (s.closing || s.closed) {
                return;
            }
            s.closing = true;
            s.changed.signalAll();
            long deadline = System.nanoTime() + FLUSH_ON_CLOSE_NANOS;
            while (s.failure == null && !s.peerClosed && (!s.out.idle() || s.inFlight) && (s.paired || s.reconnecting)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                s.changed.awaitNanos(left);
            }
            c = s.current;
            if (c != null && s.v2 && s.failure == null && !s.peerClosed) {
                try {
                    c.send(Json.close());
                    saidGoodbye = true;
                } catch (WebsocketNotConnectedException e) {
                    // Gone already; the relay's grace period ends the channel.
                }
            }
            markClosed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c = s.current;
            markClosed();
        } finally {
            s.lock.unlock();
        }
        if (c != null) {
            if (saidGoodbye) {
                // The relay closes the connection once it has read our goodbye. Closing it ourselves
                // first could let the relay see the socket end before the goodbye (its library reads
                // on one thread and dispatches on another), and take a deliberate close for a drop.
                c.awaitClosed(CLOSE_WAIT_MILLIS);
            }
            c.close();
            c.awaitClosed(CLOSE_WAIT_MILLIS);
        }
    }

    private void markClosed() {
        s.closed = true;
        s.current = null;
        s.changed.signalAll();
    }
}
