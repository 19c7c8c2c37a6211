package wormhole.api.internal;

import static wormhole.api.internal.PathRecords.ACK;
import static wormhole.api.internal.PathRecords.DATA;
import static wormhole.api.internal.PathRecords.GOODBYE;
import static wormhole.api.internal.PathRecords.HEADER;
import static wormhole.api.internal.PathRecords.KEEPALIVE;
import static wormhole.api.internal.PathRecords.ack;
import static wormhole.api.internal.PathRecords.number;
import static wormhole.api.internal.PathRecords.record;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.Threads;
import wormhole.api.spi.resume.ResendLog;

/**
 * The link of a channel that may move from its relay link to a direct connection and back (feature
 * {@code upgrade}): it numbers every sealed frame end to end and prefixes it with a record header
 * (type and number, in clear), sends it on the current path, and keeps what it sent on the direct
 * path until the other end confirms it. Both paths are read at once, and {@link InOrder} hands the
 * frames to the engine once each, in order, whichever path they came by. When the direct connection
 * breaks, everything the other end has not confirmed is sent again over the relay and the channel
 * goes on there; the other end drops the copies it already had. The relay link, reliable by itself,
 * keeps nothing here, and gets a keepalive record while the direct path carries the frames so its
 * rendezvous does not drop it. docs/PROTOCOL.md section 3.3 has the records.
 *
 * <p>Over 300 lines as one unit, like the direct transport's {@code ResumingLink}: the sending path,
 * the two readers, the confirmations and the fall-back change the same guarded state (the log, the
 * current direct link) and the argument that no frame is lost or doubled is about all of them at once.
 * What needs no shared state is apart: the records ({@link PathRecords}), the reordering
 * ({@link InOrder}), the confirmation schedule ({@link Confirmations}).
 */
final class PathLink implements FrameLink {
    /** The most this end keeps unconfirmed on the direct path before it waits for a confirmation. */
    static final long KEPT_LIMIT = 16L * 1024 * 1024;
    /** A direct connection that brings nothing (not even a confirmation) for this long has dropped. */
    static final long DIRECT_SILENCE_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** The direct path's heartbeat: a confirmation at least this often. */
    static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final FrameLink relay;
    private final ThreadFactory threads;
    private final PathObserver observer;
    private final long keepaliveNanos;
    private final InOrder inOrder = new InOrder();
    /** Guards the sending state: the log, the current direct link, the relay's last send. */
    private final Object lock = new Object();
    /** Guards writes to the direct link, which the sender and the confirmer share. */
    private final Object directWrite = new Object();
    private final ResendLog log = new ResendLog();
    private final Confirmations confirms = new Confirmations();
    private FrameLink direct; // guarded by lock
    private boolean directUsed; // guarded by lock
    private long lastRelaySend = System.nanoTime(); // guarded by lock
    private volatile long lastDirectHeard;
    /** Whether the direct reader is handing a frame over (waiting for the engine, not for the network). */
    private volatile boolean directHandingOver;
    private volatile long lastDirectSent;
    private volatile IOException relayFailure;
    private volatile boolean closed;

    PathLink(FrameLink relay, ThreadFactory threads, PathObserver observer) {
        this.relay = relay;
        this.threads = threads;
        this.observer = observer;
        Optional<Duration> idle = relay.idleLimit();
        this.keepaliveNanos = idle.filter(d -> !d.isZero() && !d.isNegative()).map(d -> d.toNanos() / 4)
                .orElse(TimeUnit.MINUTES.toNanos(1));
        Threads.start(threads, "wormhole-path-relay", this::readRelay);
        Threads.start(threads, "wormhole-path-ticker", this::tick);
    }

    /**
     * Moves the frames to an authenticated direct connection: from now on this end sends there, and
     * reads it as well as the relay.
     *
     * @param link the connection, owned by this link from now on
     * @return false when this link is closed or already used a direct connection (the link is then closed)
     */
    boolean takeDirect(FrameLink link) {
        synchronized (lock) {
            if (closed || directUsed) {
                link.close();
                return false;
            }
            direct = link;
            directUsed = true;
            lastDirectHeard = System.nanoTime();
            lastDirectSent = lastDirectHeard;
        }
        Threads.start(threads, "wormhole-path-direct", () -> readDirect(link));
        observer.pathChanged("direct", "the frames go over a direct connection");
        return true;
    }

    @Override
    public void send(byte[] frame) throws IOException {
        synchronized (lock) {
            while (direct != null && log.keptBytes() >= KEPT_LIMIT && !closed) {
                try {
                    lock.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for the peer's confirmation", e);
                }
            }
            if (closed) {
                throw new IOException("the link is closed");
            }
            long number = log.sent();
            FrameLink d = direct;
            log.add(frame, d != null);
            if (d != null) {
                try {
                    writeDirect(d, PathRecords.dataHeader(number), frame);
                    return;
                } catch (IOException e) {
                    // the frame is kept: it goes over the relay with the others below
                    fallBack(d, "the direct connection broke: " + Details.of(e));
                    return;
                }
            }
            sendRelay(record(number, frame));
        }
    }

    /**
     * Says on the direct connection that this end closes on purpose (after the engine's goodbye), so
     * the other end does not take the closing connection for a broken one and fall back to the relay.
     */
    void goodbye() {
        FrameLink d;
        synchronized (lock) {
            d = direct;
        }
        if (d != null) {
            try {
                writeDirect(d, new byte[] {GOODBYE});
            } catch (IOException e) {
                // the connection is gone already; the other end sees that instead
            }
        }
    }

    @Override
    public byte[] receive() throws IOException {
        return inOrder.take();
    }

    @Override
    public int maxFrameSize() {
        return Math.min(relay.maxFrameSize(), FrameLink.MAX_FRAME_SIZE) - HEADER;
    }

    @Override
    public Optional<Duration> idleLimit() {
        return relay.idleLimit();
    }

    @Override
    public void close() {
        FrameLink d;
        synchronized (lock) {
            closed = true;
            d = direct;
            direct = null;
            lock.notifyAll();
        }
        if (d != null) {
            d.close();
        }
        relay.close();
        inOrder.fail(new EOFException("the link is closed"));
        confirms.wake();
    }

    /** Sends a record on the relay; guarded by lock. A failure with no direct path ends the link. */
    private void sendRelay(byte[] record) throws IOException {
        IOException failed = relayFailure;
        if (failed != null) {
            throw failed;
        }
        try {
            relay.send(record);
            lastRelaySend = System.nanoTime();
        } catch (IOException e) {
            relayFailed(e);
            throw e;
        }
    }

    private void writeDirect(FrameLink d, byte[] record) throws IOException {
        synchronized (directWrite) {
            d.send(record);
        }
        lastDirectSent = System.nanoTime();
    }

    /** Writes a data record as its header and the sealed frame, which the direct link need not join. */
    private void writeDirect(FrameLink d, byte[] header, byte[] frame) throws IOException {
        synchronized (directWrite) {
            d.send(header, frame);
        }
        lastDirectSent = System.nanoTime();
    }

    /**
     * The direct connection {@code d} broke: close it, send everything the other end has not
     * confirmed over the relay, in order, and go on there.
     */
    private void fallBack(FrameLink d, String why) {
        d.close();
        synchronized (lock) {
            if (direct != d) {
                return;
            }
            direct = null;
            lock.notifyAll();
            if (closed) {
                return;
            }
            try {
                long number = log.firstKept();
                log.rewindTo(number);
                while (log.hasResend()) {
                    sendRelay(record(number++, log.nextResend()));
                }
                log.confirmed(log.sent());
            } catch (IOException e) {
                inOrder.fail(e);
                return;
            }
        }
        observer.pathChanged("relay", why);
    }

    private void relayFailed(IOException e) {
        relayFailure = e;
        synchronized (lock) {
            if (direct == null) {
                inOrder.fail(e);
            }
        }
    }

    /** The relay's reader: data records go to {@link InOrder}, keepalives are dropped. */
    private void readRelay() {
        try {
            while (!closed) {
                byte[] record = relay.receive();
                if (record.length >= HEADER && record[0] == DATA) {
                    deliver(record);
                } else if (record.length < 1 || record[0] != KEEPALIVE) {
                    throw new IOException("a malformed record arrived through the relay");
                }
            }
        } catch (IOException e) {
            relayFailed(e);
        } catch (InterruptedException e) {
            relayFailed(new IOException("interrupted", e));
        }
    }

    /** The direct connection's reader: data records and confirmations; a failure falls back to the relay. */
    private void readDirect(FrameLink d) {
        try {
            while (!closed) {
                byte[] record = d.receive();
                lastDirectHeard = System.nanoTime();
                if (record.length >= HEADER && record[0] == DATA) {
                    // A busy engine (a slow disk) holds the reader here: that is no silence of the network.
                    directHandingOver = true;
                    try {
                        deliver(record);
                    } finally {
                        lastDirectHeard = System.nanoTime();
                        directHandingOver = false;
                    }
                } else if (record.length == 1 && record[0] == GOODBYE) {
                    synchronized (lock) {
                        if (direct == d) {
                            direct = null;
                            log.confirmed(log.sent()); // the other end is leaving: nothing to resend
                            lock.notifyAll();
                        }
                    }
                    d.close();
                    break;
                } else if (record.length == HEADER && record[0] == ACK) {
                    long count = number(record);
                    synchronized (lock) {
                        if (count > log.sent()) {
                            throw new IOException("the peer confirmed frames never sent");
                        }
                        log.confirmed(count);
                        lock.notifyAll();
                    }
                } else {
                    throw new IOException("a malformed record arrived on the direct connection");
                }
            }
        } catch (IOException e) {
            fallBack(d, "the direct connection broke: " + Details.of(e));
        } catch (InterruptedException e) {
            fallBack(d, "interrupted");
        }
        synchronized (lock) {
            if (direct == null && relayFailure != null) {
                inOrder.fail(relayFailure);
            }
        }
    }

    private void deliver(byte[] record) throws InterruptedException {
        byte[] frame = java.util.Arrays.copyOfRange(record, HEADER, record.length);
        if (inOrder.deliver(number(record), frame)) {
            confirms.took(frame.length);
        }
    }

    /**
     * The ticker: confirms what arrived (on the direct path, where the other end keeps it), beats
     * the direct path's heartbeat and watches its silence, and keeps the relay alive meanwhile.
     */
    private void tick() {
        while (!closed) {
            boolean confirm;
            try {
                confirm = confirms.awaitDue(50);
            } catch (InterruptedException e) {
                return;
            }
            FrameLink d;
            synchronized (lock) {
                d = direct;
            }
            long now = System.nanoTime();
            if (d != null) {
                if (!directHandingOver && now - lastDirectHeard > DIRECT_SILENCE_NANOS) {
                    fallBack(d, "the direct connection went silent");
                    continue;
                }
                if (confirm || now - lastDirectSent > HEARTBEAT_NANOS) {
                    confirms.confirm();
                    try {
                        writeDirect(d, ack(inOrder.count()));
                    } catch (IOException e) {
                        fallBack(d, "the direct connection broke: " + Details.of(e));
                    }
                }
                keepRelayAlive(now);
            } else if (confirm) {
                confirms.confirm(); // the relay keeps nothing for us to confirm
            }
        }
    }

    private void keepRelayAlive(long now) {
        synchronized (lock) {
            if (relayFailure == null && !closed && now - lastRelaySend > keepaliveNanos) {
                try {
                    sendRelay(new byte[] {KEEPALIVE});
                } catch (IOException e) {
                    // relayFailed noted it; the direct path goes on alone
                }
            }
        }
    }
}
