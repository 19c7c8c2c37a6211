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
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import wormhole.api.spi.OpeningCheck;
import wormhole.api.spi.Threads;

/**
 * Screens the connections a direct host's listener accepts, so that a port scan, a health probe, an
 * HTTP request or any other stray connection cannot spend the single-use channel. Each candidate
 * must send a length prefix and a frame that the current {@link OpeningCheck} accepts within
 * {@link Limits#openingDeadline()} of connecting; a length over the check's maximum, bytes that fail
 * the check, a close or a stall drops it. At most {@link Limits#maxCandidates()} candidates are held
 * at once (screened, or being handled after they passed): a newcomer beyond that evicts the oldest,
 * so idle connections can never keep the real peer out (its first frame comes right after its
 * connect). Nothing is written to a candidate before it passes.
 *
 * <p>Before pairing, the check is the peer's SPAKE2 opening and the first candidate that passes is
 * the peer ({@link #awaitFirst}); after pairing, on a link that resumes, the check and the handler
 * change to a resume request ({@link #serve}).
 */
final class Doorway {
    /**
     * How candidates are bounded.
     *
     * @param openingDeadline how long after connecting a candidate has to present its first frame
     *                        (and, for a resume request, to finish proving itself)
     * @param maxCandidates   how many candidates are held at once
     */
    record Limits(Duration openingDeadline, int maxCandidates) {
        /** Ten seconds for a few dozen bytes, and 64 at once. */
        static final Limits DEFAULT = new Limits(Duration.ofSeconds(10), 64);

        Limits {
            if (openingDeadline.isNegative() || openingDeadline.isZero() || maxCandidates < 1) {
                throw new IllegalArgumentException("bad screening limits: " + openingDeadline + ", " + maxCandidates);
            }
        }
    }

    /** Takes a candidate that passed the check, on that candidate's own thread. */
    @FunctionalInterface
    interface Handler {
        void admit(Candidate candidate);
    }

    /** A check nothing passes: between pairing and the resume agreement. */
    static final OpeningCheck NOTHING = new OpeningCheck() {
        @Override
        public int maxLength() {
            return 0;
        }

        @Override
        public boolean accepts(byte[] frame) {
            return false;
        }
    };

    /** A connection whose first frame passed the check. */
    final class Candidate {
        private final Socket socket;
        private final long deadline;
        private byte[] opening;

        private Candidate(Socket socket) {
            this.socket = socket;
            this.deadline = System.nanoTime() + limits.openingDeadline().toNanos();
        }

        Socket socket() {
            return socket;
        }

        byte[] opening() {
            return opening;
        }

        /** @return when its time is up, as {@link System#nanoTime()} */
        long deadline() {
            return deadline;
        }

        /**
         * Takes it out of the bounded room, so it can no longer be evicted.
         *
         * @return false when it was evicted (or dropped) already; its socket is then closed
         */
        boolean claim() {
            synchronized (room) {
                return room.remove(this);
            }
        }

        void close() {
            SocketFrameLink.closeQuietly(socket, null);
        }
    }

    private final ServerSocket listener;
    private final Limits limits;
    private final ArrayDeque<Candidate> room = new ArrayDeque<>(); // guarded by itself
    private volatile OpeningCheck check = NOTHING;
    private volatile Handler handler = Candidate::close;
    private volatile Thread acceptor;
    private final ThreadFactory threads;

    Doorway(ServerSocket listener, Limits limits, ThreadFactory threads) {
        this.listener = listener;
        this.limits = limits;
        this.threads = threads;
    }

    /** @return where its accept and screening threads come from */
    ThreadFactory threads() {
        return threads;
    }

    /**
     * Screens connections until one passes {@code opening}, and returns it. Later candidates meet
     * {@link #NOTHING} until {@link #serve} says otherwise.
     *
     * @param timeout how long to wait; {@link Duration#ZERO} waits without limit
     * @return the connection that passed, claimed
     * @throws SocketTimeoutException when none passed in time
     * @throws IOException when the listener failed or was closed
     */
    Candidate awaitFirst(OpeningCheck opening, Duration timeout) throws IOException {
        CompletableFuture<Candidate> first = new CompletableFuture<>();
        serve(opening, c -> {
            if (!c.claim() || !first.complete(c)) {
                c.close();
            }
        });
        acceptor = Threads.start(threads, "wormhole-direct-accept", () -> acceptLoop(first));
        try {
            return timeout.isZero() ? first.get() : first.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new SocketTimeoutException("no peer presented its opening within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a peer", e);
        } finally {
            serve(NOTHING, Candidate::close);
            first.completeExceptionally(new IOException("stopped waiting"));
            dropAll();
        }
    }

    /**
     * From now on, candidates must pass {@code opening}, and those that do go to {@code next}.
     */
    void serve(OpeningCheck opening, Handler next) {
        this.handler = next;
        this.check = opening;
    }

    /** Closes the listener and every candidate, and waits (briefly) for the accepting thread to leave. */
    void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        serve(NOTHING, Candidate::close);
        Thread t = acceptor;
        if (t != null && t != Thread.currentThread()) {
            try {
                // Until it has left accept(), the kernel may still queue a connection on the socket.
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        dropAll();
    }

    private void acceptLoop(CompletableFuture<Candidate> first) {
        while (true) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                first.completeExceptionally(e);
                return;
            }
            Candidate candidate = new Candidate(socket);
            enter(candidate);
            Threads.start(threads, "wormhole-direct-screen", () -> screen(candidate));
        }
    }

    /** Takes a candidate in, evicting the oldest when the room is full. */
    private void enter(Candidate candidate) {
        Candidate evicted = null;
        synchronized (room) {
            if (room.size() >= limits.maxCandidates()) {
                evicted = room.pollFirst();
            }
            room.addLast(candidate);
        }
        if (evicted != null) {
            evicted.close();
        }
    }

    private void screen(Candidate candidate) {
        OpeningCheck now = check;
        Handler then = handler;
        try {
            candidate.opening = readOpening(candidate, now);
        } catch (IOException e) {
            // closed, stalled, evicted or reset: a stray
        }
        if (candidate.opening == null) {
            synchronized (room) {
                room.remove(candidate);
            }
            candidate.close();
            return;
        }
        try {
            then.admit(candidate);
        } finally {
            synchronized (room) {
                room.remove(candidate);
            }
        }
    }

    /** @return the opening frame, or null when the candidate sent something else */
    private static byte[] readOpening(Candidate candidate, OpeningCheck check) throws IOException {
        InputStream in = candidate.socket.getInputStream();
        byte[] prefix = new byte[4];
        if (!readFully(candidate.socket, in, prefix, candidate.deadline)) {
            return null;
        }
        long length = ((long) (prefix[0] & 0xFF) << 24) | ((prefix[1] & 0xFF) << 16)
                | ((prefix[2] & 0xFF) << 8) | (prefix[3] & 0xFF);
        if (length < 1 || length > check.maxLength()) {
            return null;
        }
        byte[] frame = new byte[(int) length];
        if (!readFully(candidate.socket, in, frame, candidate.deadline) || !check.accepts(frame)) {
            return null;
        }
        return frame;
    }

    /** Reads exactly {@code target.length} bytes before the deadline; false on a close or a stall. */
    static boolean readFully(Socket socket, InputStream in, byte[] target, long deadline) throws IOException {
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
        Candidate[] left;
        synchronized (room) {
            left = room.toArray(Candidate[]::new);
            room.clear();
        }
        for (Candidate c : left) {
            c.close();
        }
    }
}
