package wormhole.transport.relay;

import java.security.SecureRandom;
import java.util.List;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import wormhole.api.spi.Threads;

/**
 * The session's sending thread: confirmations of what this side consumed first, then resends after a
 * resume, then queued frames (bundled when both ends speak protocol 2), each when the {@link Pacer}
 * allows it under the relay's rate limits and, with protocol 2, while the window of unconsumed bytes
 * has room. Writes happen outside the lock, so the connections' threads are never kept waiting.
 */
final class SendLoop implements Runnable {
    /**
     * A bundle carries at most this much: enough to stay under the default 60 messages a minute with
     * 64 KiB stream chunks, small enough that the receiver never holds a 10 MiB message and its copy.
     */
    static final int MAX_BUNDLE_BYTES = 1024 * 1024;
    /**
     * At most this much unconfirmed at once, whatever the relay would hold: it bounds what the
     * receiving client keeps in memory before its engine consumes it. 4 MiB would die young in the
     * launcher's young generation, but halved a fresh 1 GiB through the relay (15.7 s against 8.0 s):
     * the pipeline then waits on confirmations.
     */
    static final long MAX_WINDOW_BYTES = 8L * 1024 * 1024;
    /** How long the loop sleeps at most before looking again (a confirmation may come due). */
    private static final long NAP_NANOS = Inbox.ACK_DELAY_NANOS / 4;

    private final SessionState s;
    private final SecureRandom maskKeys = new SecureRandom();

    SendLoop(SessionState s) {
        this.s = s;
    }

    /** Starts the loop on its own thread; it ends when the session closes or fails. */
    void start() {
        Threads.start(s.settings.threads(), "relay-sender", this);
    }

    @Override
    public void run() {
        s.lock.lock();
        try {
            while (!s.closed && s.failure == null) {
                Connection c = s.current;
                long now = System.nanoTime();
                boolean ready = c != null && !s.reconnecting && s.paired;
                if (ready && s.v2 && s.in.confirmDue(now)) {
                    sendUnlocked(c, Json.ack(s.in.confirm()));
                } else if (ready && s.out.hasResend()) {
                    resendOne(c, now);
                } else if (ready && s.out.hasQueued()) {
                    sendQueued(c, now);
                } else {
                    s.changed.awaitNanos(NAP_NANOS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            s.lock.unlock();
        }
    }

    private void resendOne(Connection c, long now) throws InterruptedException {
        byte[] m = s.out.peekResend();
        int size = MaskedFrames.payloadLength(m);
        long delay = s.pacer.delayNanos(size, now);
        if (delay > 0) {
            s.changed.awaitNanos(Math.min(delay, NAP_NANOS));
        } else {
            s.out.nextResend();
            s.pacer.take(size, now);
            sendUnlocked(c, MaskedFrames.remasked(m, maskKeys.nextInt()));
        }
    }

    private void sendQueued(Connection c, long now) throws InterruptedException {
        List<byte[]> frames = s.out.peek(s.bundling, Math.min(s.limits.maxFrameBytes(), MAX_BUNDLE_BYTES));
        long size = Bundles.size(frames, s.bundling);
        long delay = s.pacer.delayNanos(size, now);
        if (s.v2 && !s.out.windowAllows(size, Math.min(s.limits.bufferBytes(), MAX_WINDOW_BYTES))) {
            s.changed.awaitNanos(NAP_NANOS);
        } else if (delay > 0) {
            s.changed.awaitNanos(Math.min(delay, NAP_NANOS));
        } else {
            s.pacer.take(size, now);
            byte[] m = s.out.commit(frames, s.bundling, s.v2, maskKeys.nextInt());
            s.changed.signalAll();
            sendUnlocked(c, m);
        }
    }

    /**
     * Writes outside the lock; {@link SessionState#inFlight} keeps a close from overtaking it.
     *
     * @param message a text message, or a whole binary WebSocket frame from {@link MaskedFrames}
     */
    private void sendUnlocked(Connection c, Object message) {
        s.inFlight = true;
        s.lock.unlock();
        try {
            if (message instanceof String text) {
                c.send(text);
            } else {
                c.sendFrame(new PreparedFrame((byte[]) message));
            }
        } catch (WebsocketNotConnectedException e) {
            // The connection dropped; a resume resends whatever the relay did not take.
        } finally {
            s.lock.lock();
            s.inFlight = false;
            s.changed.signalAll();
        }
    }
}
