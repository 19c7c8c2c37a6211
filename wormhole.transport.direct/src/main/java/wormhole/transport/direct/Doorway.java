package wormhole.transport.direct;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import wormhole.api.spi.OpeningCheck;

/**
 * Screens the connections a direct host's listener accepts until one presents a real peer's opening
 * frame, so that a port scan, a health probe, an HTTP request or any other stray connection cannot
 * spend the single-use channel. Each candidate must send a length prefix and a frame that the
 * {@link OpeningCheck} accepts within {@link Limits#openingDeadline()} of connecting; a length over
 * the check's maximum, bytes that fail the check, a close or a stall drops it and the host keeps
 * waiting. At most {@link Limits#maxCandidates()} candidates are screened at once: a newcomer beyond
 * that evicts the oldest, so idle connections can never keep the real peer out (its first frame
 * comes right after its connect). Nothing is ever written to a candidate.
 */
final class Doorway {
    /**
     * How candidates are bounded.
     *
     * @param openingDeadline how long after connecting a candidate has to present its first frame
     * @param maxCandidates   how many candidates are screened at once
     */
    record Limits(Duration openingDeadline, int maxCandidates) {
        /** Ten seconds for 37 bytes, and 64 at once. */
        static final Limits DEFAULT = new Limits(Duration.ofSeconds(10), 64);

        Limits {
            if (openingDeadline.isNegative() || openingDeadline.isZero() || maxCandidates < 1) {
                throw new IllegalArgumentException("bad screening limits: " + openingDeadline + ", " + maxCandidates);
            }
        }
    }

    /**
     * A connection that passed.
     *
     * @param socket  its socket, with nothing read beyond the opening frame
     * @param opening the opening frame
     */
    record Admitted(Socket socket, byte[] opening) {
    }

    private final ServerSocket listener;
    private final OpeningCheck check;
    private final Limits limits;
    private final ArrayDeque<Socket> candidates = new ArrayDeque<>(); // guarded by itself
    private final CompletableFuture<Admitted> admitted = new CompletableFuture<>();
    private volatile Thread acceptor;

    Doorway(ServerSocket listener, OpeningCheck check, Limits limits) {
        this.listener = listener;
        this.check = check;
        this.limits = limits;
    }

    /**
     * Screens connections until one passes. The caller closes the listener afterwards (or keeps it
     * for other uses); every candidate that did not pass is closed here.
     *
     * @param timeout how long to wait; {@link Duration#ZERO} waits without limit
     * @return the connection that passed
     * @throws SocketTimeoutException when none passed in time
     * @throws IOException when the listener failed or was closed
     */
    Admitted await(Duration timeout) throws IOException {
        acceptor = Daemons.start(this::acceptLoop, "wormhole-direct-accept");
        try {
            return timeout.isZero() ? admitted.get() : admitted.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new SocketTimeoutException("no peer presented its opening within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a peer", e);
        } finally {
            admitted.completeExceptionally(new IOException("stopped waiting"));
            dropAll();
        }
    }

    /**
     * Waits (briefly) for the accepting thread to leave once the caller closed the listener: until
     * it has, the kernel may still queue a connection on the closing socket.
     */
    void awaitAcceptorExit() {
        Thread t = acceptor;
        if (t != null) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void acceptLoop() {
        while (!admitted.isDone()) {
            Socket candidate;
            try {
                candidate = listener.accept();
            } catch (IOException e) {
                admitted.completeExceptionally(e);
                return;
            }
            enter(candidate);
            Daemons.start(() -> screen(candidate), "wormhole-direct-screen");
        }
    }

    /** Takes a candidate in, evicting the oldest when the screening room is full. */
    private void enter(Socket candidate) {
        Socket evicted = null;
        synchronized (candidates) {
            if (candidates.size() >= limits.maxCandidates()) {
                evicted = candidates.pollFirst();
            }
            candidates.addLast(candidate);
        }
        if (evicted != null) {
            SocketFrameLink.closeQuietly(evicted, null);
        }
    }

    private void screen(Socket candidate) {
        byte[] opening = null;
        try {
            opening = readOpening(candidate);
        } catch (IOException e) {
            // closed, stalled, evicted or reset: a stray
        }
        synchronized (candidates) {
            candidates.remove(candidate);
        }
        if (opening == null || !admitted.complete(new Admitted(candidate, opening))) {
            SocketFrameLink.closeQuietly(candidate, null);
        }
    }

    /** @return the opening frame, or null when the candidate sent something else */
    private byte[] readOpening(Socket candidate) throws IOException {
        long deadline = System.nanoTime() + limits.openingDeadline().toNanos();
        InputStream in = candidate.getInputStream();
        byte[] prefix = new byte[4];
        if (!readFully(candidate, in, prefix, deadline)) {
            return null;
        }
        long length = ((long) (prefix[0] & 0xFF) << 24) | ((prefix[1] & 0xFF) << 16)
                | ((prefix[2] & 0xFF) << 8) | (prefix[3] & 0xFF);
        if (length < 1 || length > check.maxLength()) {
            return null;
        }
        byte[] frame = new byte[(int) length];
        if (!readFully(candidate, in, frame, deadline) || !check.accepts(frame)) {
            return null;
        }
        return frame;
    }

    /** Reads exactly {@code target.length} bytes before the deadline; false on a close or a stall. */
    private static boolean readFully(Socket socket, InputStream in, byte[] target, long deadline) throws IOException {
        int done = 0;
        while (done < target.length) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left < 1) {
                return false;
            }
            socket.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
            int n = in.read(target, done, target.length - done);
            if (n < 0) {
                return false;
            }
            done += n;
        }
        return true;
    }

    private void dropAll() {
        Socket[] left;
        synchronized (candidates) {
            left = candidates.toArray(Socket[]::new);
            candidates.clear();
        }
        for (Socket s : left) {
            SocketFrameLink.closeQuietly(s, null);
        }
    }
}
