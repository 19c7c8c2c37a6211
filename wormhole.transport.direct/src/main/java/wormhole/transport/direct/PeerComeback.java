package wormhole.transport.direct;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import wormhole.api.spi.ResumeKeys;
import wormhole.api.spi.Threads;

/**
 * The peer's way back after a drop: it connects to the host's address again, with back-off (0.1 s
 * doubling to 2 s) until the limit, and on each new connection proves it holds the session and
 * checks that the host does too ({@link ResumeProof}). Whatever refuses, fails or cannot prove is
 * closed and tried again; past the limit, the link fails.
 */
final class PeerComeback implements Comeback {
    private static final long FIRST_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 2_000;
    private static final long ATTEMPT_MILLIS = 10_000;

    private final InetSocketAddress host;
    private final Duration stallTimeout;
    private final SecureRandom random = new SecureRandom();
    private final ThreadFactory threads;

    PeerComeback(InetSocketAddress host, Duration stallTimeout, ThreadFactory threads) {
        this.host = host;
        this.stallTimeout = stallTimeout;
        this.threads = threads;
    }

    @Override
    public ThreadFactory threads() {
        return threads;
    }

    @Override
    public void agreed(ResumingLink link) {
        // nothing to prepare: the peer reconnects when it must
    }

    @Override
    public void declined() {
        // nothing kept open
    }

    @Override
    public void dropped(ResumingLink link, long deadline) {
        Threads.start(threads, "wormhole-direct-reconnect", () -> reconnect(link, deadline));
    }

    @Override
    public void close() {
        // the reconnecting thread sees the link is over
    }

    private void reconnect(ResumingLink link, long deadline) {
        long backoff = FIRST_BACKOFF_MILLIS;
        while (!link.isOver() && !link.isUp()) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                link.fail(new IOException("the connection to the host dropped and did not come back within "
                        + link.limit().toSeconds() + " s"));
                return;
            }
            if (attempt(link, Math.min(left, ATTEMPT_MILLIS))) {
                return;
            }
            try {
                Thread.sleep(Math.max(1, Math.min(backoff, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
    }

    /** @return whether the link is up again on a new connection */
    private boolean attempt(ResumingLink link, long millis) {
        ResumeKeys keys = link.keys();
        if (keys == null) {
            return false;
        }
        byte[] peerKey = keys.peerKey();
        byte[] hostKey = keys.hostKey();
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(host, (int) Math.max(1, millis));
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            long hostReceived = ResumeProof.request(socket, peerKey, hostKey, link.receivedCount(), until, random);
            link.install(SocketFrameLink.over(socket, stallTimeout), hostReceived);
            return true;
        } catch (IOException e) {
            SocketFrameLink.closeQuietly(socket, e);
            return false;
        } finally {
            Arrays.fill(peerKey, (byte) 0);
            Arrays.fill(hostKey, (byte) 0);
        }
    }
}
