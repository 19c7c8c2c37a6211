package wormhole.transport.relay;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import wormhole.api.spi.FrameTooLargeException;
import wormhole.api.spi.LinkEvent;
import wormhole.api.spi.LinkSettings;

/**
 * One side of one relay channel, across however many WebSocket connections it takes: joins,
 * receives into an {@link Inbox}, sends from an {@link Outbox} on its own thread under a
 * {@link Pacer}, and after a drop reconnects with back-off and resumes (docs/relay-protocol.md).
 * Every field is guarded by {@link #lock}.
 */
final class Session {
    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final long FLUSH_ON_CLOSE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long CLOSE_WAIT_MILLIS = 2_000;
    private static final long FIRST_BACKOFF_MILLIS = 50;
    private static final long MAX_BACKOFF_MILLIS = 2_000;
    /**
     * A bundle carries at most this much: enough to stay under the default 60 messages a minute with
     * 64 KiB stream chunks, small enough that the receiver never holds a 10 MiB message and its copy.
     */
    static final int MAX_BUNDLE_BYTES = 1024 * 1024;
    /**
     * At most this much unconfirmed at once, whatever the relay would hold: it bounds what the
     * receiving client keeps in memory before its engine consumes it.
     */
    static final long MAX_WINDOW_BYTES = 8L * 1024 * 1024;

    /**
     * Received and not yet consumed, at most the relay's {@code buffer_bytes} and never more than this,
     * plus one message: a relay holds no more for us than that before we confirm. A Python relay has no
     * such limit and gets this bound.
     */
    static final long MAX_INBOX_BYTES = 32L * 1024 * 1024;

    /** send() blocks while this much is queued (a frame may always go into an empty queue). */
    private static final long SEND_QUEUE_BYTES = 4L * 1024 * 1024;
    /** WebSocket pings find a dead relay connection within about 1.5 times this. */
    private static final int PING_SECONDS = 20;

    private final Endpoint endpoint;
    private final LinkSettings settings;
    private final boolean host;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Object fireLock = new Object();
    private final List<Runnable> pendingEvents = new ArrayList<>();
    private final Outbox out = new Outbox();
    private final Inbox in = new Inbox();

    private Connection current;
    private boolean reconnecting;
    private boolean v2;
    private boolean bundling;
    private boolean waiting;
    private boolean paired;
    private boolean inFlight;
    private String token;
    private String nameplate;
    private static final long REFERENCE_IDLE_MILLIS = 3_600_000;
    private Limits limits = Limits.REFERENCE;
    /** The relay's inactivity limit from its welcome; the reference relay's hour when it announces none. */
    private volatile long idleLimitMillis = REFERENCE_IDLE_MILLIS;
    private Pacer pacer = new Pacer(Limits.REFERENCE, System.nanoTime());
    private JsonNode resumeReply;
    private IOException failure;
    private boolean peerClosed;
    private boolean closing;
    private boolean closed;

    Session(Endpoint endpoint, LinkSettings settings, boolean host) {
        this.endpoint = endpoint;
        this.settings = settings;
        this.host = host;
    }

    // ---- opening

    /** Connects and joins; returns once registered (host) or paired (peer). */
    void open(String joinJson) throws IOException {
        Connection c = connect(Connection.MAX_TEXT_BYTES);
        lock.lock();
        try {
            current = c;
        } finally {
            lock.unlock();
        }
        long deadline = System.nanoTime() + connectTimeout().toNanos();
        transmit(c, joinJson);
        lock.lock();
        try {
            while (failure == null && !(host ? waiting || paired : paired)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    failure = new SocketTimeoutException("the relay at " + endpoint.uri() + " did not answer the join within "
                            + connectTimeout().toSeconds() + " s");
                    break;
                }
                changed.awaitNanos(left);
            }
            // Joined, then failed at once (a refusal right behind the answer): the frames that came
            // before the failure are still delivered, and receive() reports it after them.
            if (failure != null && !(host ? waiting || paired : paired)) {
                IOException f = failure;
                closed = true;
                current = null;
                c.close();
                throw f;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.close();
            throw new InterruptedIOException("interrupted while joining the relay");
        } finally {
            lock.unlock();
            fire();
        }
        Thread sender = new Thread(this::sendLoop, "relay-sender");
        sender.setDaemon(true);
        sender.start();
    }

    private Duration connectTimeout() {
        Duration d = settings.connectTimeout();
        return d.isZero() || d.isNegative() ? DEFAULT_CONNECT_TIMEOUT : d;
    }

    /** @param maxBinaryBytes the largest binary message accepted until the relay answers */
    private Connection connect(long maxBinaryBytes) throws IOException {
        Connection c = new Connection(endpoint, this, maxBinaryBytes);
        if (endpoint.tls() != null) {
            c.setSocketFactory(endpoint.tls());
        }
        c.setConnectionLostTimeout(PING_SECONDS);
        boolean ok;
        try {
            ok = c.connectBlocking(connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.close();
            throw new InterruptedIOException("interrupted while connecting to the relay");
        }
        if (!ok) {
            c.close();
            throw new ConnectException("cannot reach the relay at " + endpoint.uri() + ": " + c.lastErrorMessage());
        }
        return c;
    }

    // ---- what the relay says (connection threads)

    void onText(Connection c, String text) {
        lock.lock();
        try {
            if (c != current) {
                return;
            }
            JsonNode m = Json.parse(text);
            if (m == null) {
                return;
            }
            switch (m.path("type").asText()) {
                case "welcome" -> {
                    v2 = true;
                    token = m.path("token").asText(null);
                    nameplate = m.path("nameplate").asText(null);
                    limits = Limits.from(m.path("limits"));
                    c.allowBinary(limits.maxMessageBytes());
                    long idle = m.path("limits").path("inactivity_ms").asLong(0);
                    idleLimitMillis = idle > 0 ? idle : REFERENCE_IDLE_MILLIS;
                    pacer = new Pacer(limits, System.nanoTime());
                }
                case "status" -> {
                    // The join's answer from a relay without a welcome (a Python relay) sets its limits.
                    c.allowBinary(limits.maxMessageBytes());
                    status(m);
                }
                case "ack" -> {
                    out.relayReceived(m.path("received").asLong());
                    out.peerConsumed(m.path("consumed").asLong());
                }
                case "resumed" -> resumeReply = m;
                case "error" -> failure = new IOException("relay: " + m.path("message").asText("unexplained error")
                        + " (" + m.path("code").asText("error") + ")");
                default -> {
                    // pong, and anything a newer relay may add
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
            fire();
        }
    }

    private void status(JsonNode m) {
        switch (m.path("event").asText()) {
            case "waiting" -> {
                waiting = true;
                emit(LinkEvent.WAITING, "");
            }
            case "paired" -> {
                paired = true;
                bundling = v2 && m.path("peer_protocol").asInt(1) >= 2;
                emit(LinkEvent.PAIRED, "");
            }
            case "peer_disconnected" -> {
                if (!v2 || m.path("final").asBoolean(false)) {
                    peerClosed = true;
                } else {
                    emit(LinkEvent.PEER_DISCONNECTED, "the peer lost its connection to the relay");
                }
            }
            case "peer_reconnected" -> emit(LinkEvent.RECONNECTED, "the peer is back");
            default -> {
                // unknown events are ignored, as the Python client does
            }
        }
    }

    void onBinary(Connection c, byte[] message) {
        lock.lock();
        try {
            if (c != current) {
                return;
            }
            if (host && !v2 && !paired) {
                // A Python relay tells a waiting host nothing when its peer joins: the peer's first
                // frame is the news.
                paired = true;
                emit(LinkEvent.PAIRED, "");
            }
            try {
                in.add(message, bundling, limits.maxFrameBytes(),
                        Math.min(limits.bufferBytes(), MAX_INBOX_BYTES) + limits.maxMessageBytes());
            } catch (IOException e) {
                failure = e;
                drop(c);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
            fire();
        }
    }

    /** The connection's draft refused a message over the limit; it closes the connection itself. */
    void onRefused(Connection c, String why) {
        lock.lock();
        try {
            if (c != current) {
                return;
            }
            current = null;
            if (failure == null) {
                failure = new IOException("relay: " + why);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops hearing {@code c} and closes its socket, after a relay broke a limit. */
    private void drop(Connection c) {
        current = null;
        c.cut();
    }

    void onClosed(Connection c, String why) {
        lock.lock();
        try {
            if (c != current) {
                return;
            }
            current = null;
            changed.signalAll();
            if (failure != null || closed || peerClosed || reconnecting) {
                return; // over, or a resume attempt failed and its loop will try again
            }
            if (closing || !v2 || token == null) {
                failure = new IOException("lost the relay connection: " + why);
                return;
            }
            reconnecting = true;
            emit(LinkEvent.RECONNECTING, why);
            Thread t = new Thread(this::reconnectLoop, "relay-reconnect");
            t.setDaemon(true);
            t.start();
        } finally {
            lock.unlock();
            fire();
        }
    }

    // ---- reconnecting

    private void reconnectLoop() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limits.resumeGraceMillis());
        long backoff = FIRST_BACKOFF_MILLIS;
        String lastWhy = "no attempt finished";
        while (true) {
            lock.lock();
            try {
                if (failure != null || closed) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    failure = new IOException("lost the relay connection and could not resume within "
                            + limits.resumeGraceMillis() / 1000 + " s: " + lastWhy);
                    changed.signalAll();
                    return;
                }
            } finally {
                lock.unlock();
            }
            try {
                if (attemptResume()) {
                    return;
                }
                lastWhy = "the relay did not answer the resume";
            } catch (IOException e) {
                lastWhy = e.getMessage();
            } finally {
                fire();
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
    private boolean attemptResume() throws IOException {
        Connection c = connect(maxMessageBytes());
        long received;
        lock.lock();
        try {
            if (failure != null || closed) {
                c.close();
                return true;
            }
            current = c;
            resumeReply = null;
            received = in.received();
        } finally {
            lock.unlock();
        }
        transmit(c, Json.resume(token, received));
        lock.lock();
        try {
            long deadline = System.nanoTime() + connectTimeout().toNanos();
            while (resumeReply == null && current == c && failure == null && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                changed.awaitNanos(left);
            }
            if (failure != null || closed) {
                return true;
            }
            if (resumeReply == null || current != c) {
                if (current == c) {
                    current = null;
                    c.close();
                }
                return false;
            }
            applyResume(resumeReply);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void applyResume(JsonNode reply) {
        try {
            out.resumeFrom(reply.path("received").asLong());
        } catch (IOException gap) {
            failure = gap;
            Connection c = current;
            current = null;
            if (c != null) {
                c.close();
            }
            changed.signalAll();
            return;
        }
        out.peerConsumed(reply.path("consumed").asLong());
        if (!"waiting".equals(reply.path("peer").asText()) && !paired) {
            paired = true;
            emit(LinkEvent.PAIRED, "");
        }
        if (reply.has("peer_protocol")) {
            bundling = reply.path("peer_protocol").asInt(1) >= 2;
        }
        reconnecting = false;
        emit(LinkEvent.RECONNECTED, "resumed without loss");
        changed.signalAll();
    }

    // ---- sending (its own thread)

    private void sendLoop() {
        lock.lock();
        try {
            while (!closed && failure == null) {
                Connection c = current;
                long now = System.nanoTime();
                boolean ready = c != null && !reconnecting && paired;
                if (ready && v2 && in.confirmDue(now)) {
                    String ack = Json.ack(in.confirm());
                    sendUnlocked(c, ack);
                } else if (ready && out.hasResend()) {
                    byte[] m = out.peekResend();
                    long delay = pacer.delayNanos(m.length, now);
                    if (delay > 0) {
                        changed.awaitNanos(Math.min(delay, Inbox.ACK_DELAY_NANOS / 4));
                    } else {
                        out.nextResend();
                        pacer.take(m.length, now);
                        sendUnlocked(c, m);
                    }
                } else if (ready && out.hasQueued()) {
                    List<byte[]> frames = out.peek(bundling, Math.min(limits.maxFrameBytes(), MAX_BUNDLE_BYTES));
                    long size = messageSize(frames);
                    long delay = pacer.delayNanos(size, now);
                    if (v2 && !out.windowAllows(size, Math.min(limits.bufferBytes(), MAX_WINDOW_BYTES))) {
                        changed.awaitNanos(Inbox.ACK_DELAY_NANOS / 4);
                    } else if (delay > 0) {
                        changed.awaitNanos(Math.min(delay, Inbox.ACK_DELAY_NANOS / 4));
                    } else {
                        pacer.take(size, now);
                        byte[] m = out.commit(frames, bundling, v2);
                        changed.signalAll();
                        sendUnlocked(c, m);
                    }
                } else {
                    changed.awaitNanos(Inbox.ACK_DELAY_NANOS / 4);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private long messageSize(List<byte[]> frames) {
        if (!bundling) {
            return frames.get(0).length;
        }
        long size = 0;
        for (byte[] f : frames) {
            size += Bundles.HEADER + f.length;
        }
        return size;
    }

    /** Writes outside the lock; {@link #inFlight} keeps a close from overtaking it. */
    private void sendUnlocked(Connection c, Object message) {
        inFlight = true;
        lock.unlock();
        try {
            if (message instanceof String s) {
                c.send(s);
            } else {
                c.send((byte[]) message);
            }
        } catch (WebsocketNotConnectedException e) {
            // The connection dropped; a resume resends whatever the relay did not take.
        } finally {
            lock.lock();
            inFlight = false;
            changed.signalAll();
        }
    }

    private static void transmit(Connection c, String text) throws IOException {
        try {
            c.send(text);
        } catch (WebsocketNotConnectedException e) {
            throw new IOException("the relay connection closed at once", e);
        }
    }

    private long maxMessageBytes() {
        lock.lock();
        try {
            return limits.maxMessageBytes();
        } finally {
            lock.unlock();
        }
    }

    // ---- the link's side

    /** @return how long the relay keeps the channel without a frame, so the engine can keep it alive */
    java.time.Duration idleLimit() {
        return java.time.Duration.ofMillis(idleLimitMillis);
    }

    int maxFrameSize() {
        lock.lock();
        try {
            return limits.maxFrameBytes();
        } finally {
            lock.unlock();
        }
    }

    String nameplate() {
        lock.lock();
        try {
            return nameplate;
        } finally {
            lock.unlock();
        }
    }

    void send(byte[] frame) throws IOException {
        int max = maxFrameSize();
        if (frame.length > max) {
            throw new FrameTooLargeException(frame.length, max);
        }
        byte[] copy = frame.clone();
        lock.lock();
        try {
            while (true) {
                checkUsable();
                if (out.queuedBytes() == 0 || out.queuedBytes() + copy.length <= SEND_QUEUE_BYTES) {
                    break;
                }
                changed.await();
            }
            out.enqueue(copy);
            changed.signalAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while sending");
        } finally {
            lock.unlock();
        }
    }

    byte[] receive() throws IOException {
        lock.lock();
        try {
            while (true) {
                if (closing || closed) {
                    throw new IOException("the relay link is closed");
                }
                if (!in.isEmpty()) {
                    byte[] f = in.take(System.nanoTime());
                    changed.signalAll();
                    return f;
                }
                if (failure != null) {
                    throw new IOException(failure.getMessage(), failure);
                }
                if (peerClosed) {
                    throw new EOFException("the peer closed the channel");
                }
                changed.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while receiving");
        } finally {
            lock.unlock();
        }
    }

    private void checkUsable() throws IOException {
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

    /** Waits until the channel is paired (host side). */
    void awaitPaired(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!paired) {
                checkUsable();
                if (timeout.isZero()) {
                    changed.await();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new SocketTimeoutException("no peer joined within " + timeout.toSeconds() + " s");
                    }
                    changed.awaitNanos(left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the peer");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends what is queued (for a few seconds at most), tells the relay this side is done, and
     * closes. A blocked receive fails at once.
     */
    void close() {
        Connection c;
        boolean saidGoodbye = false;
        lock.lock();
        try {
            if (closing || closed) {
                return;
            }
            closing = true;
            changed.signalAll();
            long deadline = System.nanoTime() + FLUSH_ON_CLOSE_NANOS;
            while (failure == null && !peerClosed && (!out.idle() || inFlight) && (paired || reconnecting)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                changed.awaitNanos(left);
            }
            c = current;
            if (c != null && v2 && failure == null && !peerClosed) {
                try {
                    c.send(Json.close());
                    saidGoodbye = true;
                } catch (WebsocketNotConnectedException e) {
                    // Gone already; the relay's grace period ends the channel.
                }
            }
            closed = true;
            current = null;
            changed.signalAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c = current;
            closed = true;
            current = null;
            changed.signalAll();
        } finally {
            lock.unlock();
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

    /** Cuts the current connection's socket with no goodbye, as a network failure would (tests). */
    void cutConnection() {
        Connection c;
        lock.lock();
        try {
            c = current;
        } finally {
            lock.unlock();
        }
        if (c != null) {
            c.cut();
        }
    }

    // ---- observer

    private void emit(LinkEvent event, String detail) {
        pendingEvents.add(() -> settings.observer().onLinkEvent(event, detail));
    }

    /** Calls the observer for pending events, in order, holding no session lock. */
    private void fire() {
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
}
