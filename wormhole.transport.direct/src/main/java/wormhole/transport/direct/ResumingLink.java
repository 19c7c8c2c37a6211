package wormhole.transport.direct;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import wormhole.api.spi.FrameTooLargeException;
import wormhole.api.spi.LinkEvent;
import wormhole.api.spi.LinkObserver;
import wormhole.api.spi.ResumableLink;
import wormhole.api.spi.ResumeKeys;
import wormhole.api.spi.Threads;
import wormhole.api.spi.resume.ConfirmSchedule;
import wormhole.api.spi.resume.ResendLog;

/**
 * A direct link that, once both ends agreed in their version messages, carries the channel across
 * dropped connections (docs/PROTOCOL.md 3.2). Until then it is the plain link over its first
 * connection, counting frames from the first so both ends number them alike. Once agreed: every
 * frame sent is kept in a {@link ResendLog} until the other end confirms it (link control records,
 * on a {@link ConfirmSchedule}, which double as heartbeats), at most {@link #KEEP_BYTES} at once
 * (send waits beyond that); a connection that fails or falls silent is retired, and the
 * {@link Comeback} (the peer reconnects, the host's listener takes a proven request) brings a new
 * one, on which each end resends from the count the other named. Frames read from a retired
 * connection are dropped uncounted: the other end sends them again.
 *
 * <p>Confirmations arrive in the same byte stream as the other end's frames, so a sender waiting for
 * room reads that stream itself when no thread is receiving (a user that only sends, or no longer
 * receives): it takes the confirmations and sets the frames aside, uncounted, for {@link #receive()}.
 * They are at most what the other end keeps unconfirmed, since only frames handed out are confirmed.
 *
 * <p>Why one class of over 500 lines: every method reads and changes the same state under one lock
 * (the connection in use, the resend log, the confirmation schedule, the set-aside frames), and the
 * correctness argument (a frame is counted once, resent from the other end's count, never taken from
 * a retired connection) is about how they change together. The parts that need no lock are outside:
 * the log and the schedule ({@code wormhole.api.spi.resume}), the proofs ({@link ResumeProof}), how a
 * new connection is got ({@link Comeback}) and the records on the wire ({@link LinkRecord}).
 */
final class ResumingLink implements ResumableLink {
    /** At most this much sent and not yet confirmed; a sender waits beyond it. */
    static final long KEEP_BYTES = 16L * 1024 * 1024;
    /**
     * A confirmation goes out at least this often, as a heartbeat: it lets the other end tell a
     * silent connection from a quiet one, and makes a dead connection fail a write here even when
     * nothing else is sent or read.
     */
    static final Duration HEARTBEAT = Duration.ofSeconds(2);
    /** A connection that brings nothing, not even a heartbeat, for this long is taken for dropped. */
    static final Duration SILENCE = Duration.ofSeconds(10);

    private final Comeback comeback;
    private final Duration limit;
    private final LinkObserver observer;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final ReentrantLock receiveLock = new ReentrantLock();
    private final Object lock = new Object();
    private final String name;
    // Guarded by lock:
    private SocketFrameLink wire;
    private final ResendLog sent = new ResendLog();
    private final ConfirmSchedule taken = new ConfirmSchedule();
    private boolean agreed;
    private boolean declined;
    private boolean closed;
    private boolean goodbye;
    private IOException failure;
    private ResumeKeys keys;
    private long lastControlAt;
    private long generation;
    /** Frames read from {@link #wire} by a sender waiting for room, not yet counted or handed out. */
    private final ArrayDeque<byte[]> setAside = new ArrayDeque<>();

    /**
     * @param first    the connection the channel opened on
     * @param limit    how long to try to get a dropped connection back; zero never offers to resume
     * @param comeback how this end gets a new connection
     * @param observer who hears {@link LinkEvent#RECONNECTING} and {@link LinkEvent#RECONNECTED}
     */
    ResumingLink(SocketFrameLink first, Duration limit, Comeback comeback, LinkObserver observer) {
        this.wire = first;
        this.limit = limit;
        this.comeback = comeback;
        this.observer = observer;
        this.name = first.toString();
    }

    @Override
    public boolean offersResume() {
        return !limit.isZero();
    }

    @Override
    public void resumeAgreed(ResumeKeys agreedKeys) {
        SocketFrameLink w;
        synchronized (lock) {
            if (closed || agreed || declined) {
                agreedKeys.close();
                return;
            }
            agreed = true;
            keys = agreedKeys;
            lastControlAt = System.nanoTime();
            w = wire;
        }
        try {
            w.limitQuiet(SILENCE);
        } catch (IOException e) {
            dropped(w, e);
        }
        comeback.agreed(this);
        Threads.start(comeback.threads(), "wormhole-direct-confirm", this::confirmLoop);
    }

    @Override
    public void resumeDeclined() {
        synchronized (lock) {
            declined = true;
            sent.confirmed(sent.sent());
        }
        comeback.declined();
    }

    @Override
    public void send(byte[] frame) throws IOException {
        if (frame.length > MAX_FRAME_SIZE) {
            throw new FrameTooLargeException(frame.length, MAX_FRAME_SIZE);
        }
        awaitRoom(frame.length);
        sendLock.lock();
        try {
            SocketFrameLink w;
            boolean resuming;
            synchronized (lock) {
                checkUsable();
                // Before the agreement only the handshake's few frames are kept (a link used without
                // an engine never agrees, and must not keep everything).
                sent.add(frame, agreed || (!declined && sent.keptBytes() + frame.length <= KEEP_BYTES));
                w = wire;
                resuming = agreed;
            }
            if (w == null) {
                return; // down: the frame goes out with the resend on the next connection
            }
            try {
                w.send(frame);
            } catch (IOException e) {
                if (!resuming) {
                    throw e;
                }
                dropped(w, e);
            }
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Waits while too much is unconfirmed (never for a frame into an empty log). The confirmations
     * come in with the other end's frames: when no thread is receiving, this one reads them.
     */
    private void awaitRoom(int length) throws IOException {
        while (true) {
            SocketFrameLink w;
            synchronized (lock) {
                if (!(agreed && !closed && failure == null && sent.keptBytes() > 0
                        && sent.keptBytes() + length > KEEP_BYTES)) {
                    return;
                }
                w = wire;
                if (w == null || goodbye || receiveLock.isLocked()) {
                    // Down (the resend's count frees room), or a receiver is reading the confirmations.
                    try {
                        lock.wait(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while waiting for the other end to confirm", e);
                    }
                    continue;
                }
            }
            if (receiveLock.tryLock()) {
                try {
                    readAside(w);
                } finally {
                    receiveLock.unlock();
                }
            }
        }
    }

    /** Reads one record for a waiting sender, holding {@link #receiveLock}: a frame is set aside. */
    private void readAside(SocketFrameLink w) throws IOException {
        synchronized (lock) {
            if (w != wire || goodbye) {
                return;
            }
        }
        LinkRecord record;
        try {
            record = w.receiveRecord(true);
        } catch (FrameTooLargeException e) {
            fail(e);
            return;
        } catch (IOException e) {
            dropped(w, e);
            return;
        }
        synchronized (lock) {
            if (w != wire) {
                return; // from a retired connection: it comes again on the next one
            }
            if (!tookControl(record)) {
                setAside.add(((LinkRecord.Data) record).frame());
            }
        }
    }

    @Override
    public byte[] receive() throws IOException {
        receiveLock.lock();
        try {
            while (true) {
                SocketFrameLink w;
                boolean resuming;
                synchronized (lock) {
                    while (wire == null && !closed && failure == null) {
                        try {
                            lock.wait();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IOException("interrupted while the link was down", e);
                        }
                    }
                    checkUsable();
                    if (!setAside.isEmpty()) {
                        return took(setAside.poll());
                    }
                    if (goodbye) {
                        throw new EOFException("the peer closed the link");
                    }
                    w = wire;
                    resuming = agreed;
                }
                LinkRecord record;
                try {
                    record = w.receiveRecord(resuming);
                } catch (FrameTooLargeException e) {
                    throw e;
                } catch (IOException e) {
                    if (!resuming) {
                        throw e;
                    }
                    dropped(w, e);
                    continue;
                }
                synchronized (lock) {
                    if (w != wire) {
                        continue; // from a retired connection: it comes again on the next one
                    }
                    if (!tookControl(record)) {
                        return took(((LinkRecord.Data) record).frame());
                    }
                    if (goodbye) {
                        throw new EOFException("the peer closed the link");
                    }
                }
            }
        } finally {
            receiveLock.unlock();
        }
    }

    /**
     * Takes a link control record, holding {@link #lock}: a confirmation frees room, a goodbye is
     * noted; waiters hear of either.
     *
     * @return whether {@code record} was one (else it is a frame)
     */
    private boolean tookControl(LinkRecord record) {
        if (record instanceof LinkRecord.Received r) {
            sent.confirmed(r.count());
        } else if (record instanceof LinkRecord.Goodbye) {
            goodbye = true;
        } else {
            return false;
        }
        lock.notifyAll();
        return true;
    }

    /** Counts a frame handed out by {@link #receive()}; holding {@link #lock}. */
    private byte[] took(byte[] frame) {
        long now = System.nanoTime();
        taken.took(frame.length, now);
        if (agreed && taken.due(now)) {
            lock.notifyAll(); // the confirming thread sends it now
        }
        return frame;
    }

    /** Sends confirmations when due and heartbeats when quiet, while the link is agreed and open. */
    private void confirmLoop() {
        long heartbeat = HEARTBEAT.toNanos();
        while (true) {
            SocketFrameLink w;
            long count;
            synchronized (lock) {
                if (closed || failure != null) {
                    return;
                }
                long now = System.nanoTime();
                if (wire == null || !(taken.due(now) || now - lastControlAt >= heartbeat)) {
                    try {
                        lock.wait(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
                w = wire;
                count = taken.confirm();
                lastControlAt = now;
            }
            sendLock.lock();
            try {
                w.sendControl(LinkRecord.RECEIVED, count);
            } catch (IOException e) {
                dropped(w, e);
            } finally {
                sendLock.unlock();
            }
        }
    }

    /** Retires a connection that failed, and starts getting a new one (once agreed). */
    void dropped(SocketFrameLink w, IOException cause) {
        long deadline;
        synchronized (lock) {
            if (w != wire || closed || failure != null) {
                return;
            }
            wire = null;
            setAside.clear(); // uncounted: the other end sends them again
            deadline = System.nanoTime() + limit.toNanos();
            lock.notifyAll();
        }
        w.close();
        observer.onLinkEvent(LinkEvent.RECONNECTING, "the direct connection dropped (" + cause.getMessage()
                + "); resuming for up to " + limit.toSeconds() + " s");
        comeback.dropped(this, deadline);
    }

    /**
     * For a new connection: retires the current one if it still looks up (a half-open connection the
     * other end has given up), and returns how many frames this end has received. Nothing read after
     * this is counted, so the number stays true.
     */
    long retireForResume() {
        SocketFrameLink old;
        long count;
        long deadline;
        synchronized (lock) {
            old = wire;
            wire = null;
            setAside.clear(); // uncounted: the other end sends them again
            count = taken.taken();
            deadline = System.nanoTime() + limit.toNanos();
            lock.notifyAll();
        }
        if (old != null) {
            old.close();
            observer.onLinkEvent(LinkEvent.RECONNECTING, "the peer came back on a new connection");
            comeback.dropped(this, deadline);
        }
        return count;
    }

    /** @return how many connections were put in place after the first; a drop's watcher compares it */
    long generation() {
        synchronized (lock) {
            return generation;
        }
    }

    /** @return the limit a dropped connection has to come back in */
    Duration limit() {
        return limit;
    }

    /**
     * Puts a new connection in place: the receiver reads from it at once (so two ends resending to
     * each other never wait on each other), while senders wait until every frame from
     * {@code otherReceived} on has been sent again, in order. A connection that fails during the
     * resend is dropped as any other, and the comeback starts again.
     *
     * @throws IOException when the link is over, or the other end asks for frames that were
     *                     already confirmed (a gap: the link fails)
     */
    void install(SocketFrameLink next, long otherReceived) throws IOException {
        sendLock.lock();
        try {
            SocketFrameLink stale;
            synchronized (lock) {
                checkUsable();
                try {
                    sent.rewindTo(otherReceived);
                } catch (IOException gap) {
                    failure = gap;
                    lock.notifyAll();
                    comeback.close();
                    throw gap;
                }
                stale = wire; // put in place by an older request; nobody reads it any more
                wire = next;
                setAside.clear();
                generation++;
                taken.confirm();
                lastControlAt = System.nanoTime();
                lock.notifyAll();
            }
            if (stale != null) {
                stale.close();
            }
            try {
                next.limitQuiet(SILENCE);
                while (true) {
                    byte[] frame;
                    synchronized (lock) {
                        if (!sent.hasResend() || wire != next) {
                            break;
                        }
                        frame = sent.nextResend();
                    }
                    next.send(frame);
                }
            } catch (IOException e) {
                dropped(next, e);
                return;
            }
            synchronized (lock) {
                if (wire != next) {
                    return; // dropped again during the resend; the comeback has started over
                }
            }
        } finally {
            sendLock.unlock();
        }
        observer.onLinkEvent(LinkEvent.RECONNECTED, "the direct connection is back; nothing was lost");
    }

    /** @return how many frames this end has received (for a peer's request, while down) */
    long receivedCount() {
        synchronized (lock) {
            return taken.taken();
        }
    }

    /** @return the keys, while agreed and open */
    ResumeKeys keys() {
        synchronized (lock) {
            return keys;
        }
    }

    /** @return whether the link has a connection in use */
    boolean isUp() {
        synchronized (lock) {
            return wire != null;
        }
    }

    /** @return whether the link is closed or failed, so no comeback is wanted */
    boolean isOver() {
        synchronized (lock) {
            return closed || failure != null;
        }
    }

    /** Ends the link: senders and the receiver get {@code cause}. */
    void fail(IOException cause) {
        synchronized (lock) {
            if (failure == null && !closed) {
                failure = cause;
            }
            lock.notifyAll();
        }
        comeback.close();
    }

    private void checkUsable() throws IOException {
        if (closed) {
            throw new IOException("the " + name + " is closed");
        }
        if (failure != null) {
            throw new IOException(failure.getMessage(), failure);
        }
    }

    /** Says goodbye on the connection when it can do so at once, so the other end does not wait to resume. */
    @Override
    public void close() {
        SocketFrameLink w;
        boolean sayGoodbye;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            w = wire;
            wire = null;
            setAside.clear();
            sayGoodbye = agreed && failure == null && w != null;
            if (keys != null) {
                keys.close();
            }
            lock.notifyAll();
        }
        if (w != null) {
            if (sayGoodbye && tryLock()) {
                try {
                    w.sendControl(LinkRecord.GOODBYE, 0);
                } catch (IOException e) {
                    // gone already
                } finally {
                    sendLock.unlock();
                }
            }
            w.close();
        }
        comeback.close();
    }

    private boolean tryLock() {
        try {
            return sendLock.tryLock(200, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
