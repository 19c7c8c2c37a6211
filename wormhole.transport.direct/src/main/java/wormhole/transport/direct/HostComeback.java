package wormhole.transport.direct;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadFactory;
import wormhole.api.spi.ResumeKeys;
import wormhole.api.spi.Threads;

/**
 * The host's way back after a drop: its listener stays open for this channel's resumption only. A
 * connection must first pass the {@link Doorway} with a resume request, then prove it holds the
 * session ({@link ResumeProof}); only then is the old connection retired and the new one put in
 * place. Anything else (a stray, a guess, a replay) is closed and the channel goes on untouched.
 * When no proven connection arrives within the limit, the link fails.
 */
final class HostComeback implements Comeback {
    private final Doorway doorway;
    private final Duration stallTimeout;
    private final SecureRandom random = new SecureRandom();
    private final Object oneAtATime = new Object();

    HostComeback(Doorway doorway, Duration stallTimeout) {
        this.doorway = doorway;
        this.stallTimeout = stallTimeout;
    }

    @Override
    public ThreadFactory threads() {
        return doorway.threads();
    }

    @Override
    public void agreed(ResumingLink link) {
        doorway.serve(ResumeProof.REQUEST, candidate -> resume(link, candidate));
    }

    @Override
    public void declined() {
        doorway.close();
    }

    @Override
    public void dropped(ResumingLink link, long deadline) {
        long generation = link.generation();
        Threads.start(threads(), "wormhole-direct-resume-limit", () -> expire(link, generation, deadline));
    }

    @Override
    public void close() {
        doorway.close();
    }

    private void resume(ResumingLink link, Doorway.Candidate candidate) {
        ResumeKeys keys = link.keys();
        if (keys == null || link.isOver()) {
            candidate.close();
            return;
        }
        byte[] peerKey = keys.peerKey();
        byte[] hostKey = keys.hostKey();
        try {
            ResumeProof.HostSide proven = ResumeProof.challenge(candidate.socket(), candidate.opening(), peerKey,
                    candidate.deadline(), random);
            synchronized (oneAtATime) {
                if (!candidate.claim()) {
                    return; // evicted while it proved itself
                }
                long received = link.retireForResume();
                proven.answer(hostKey, received);
                link.install(SocketFrameLink.over(candidate.socket(), stallTimeout), proven.peerReceived());
            }
        } catch (IOException e) {
            candidate.close(); // a wrong proof, or the connection broke: the channel is untouched
        } finally {
            Arrays.fill(peerKey, (byte) 0);
            Arrays.fill(hostKey, (byte) 0);
        }
    }

    private static void expire(ResumingLink link, long generation, long deadline) {
        while (System.nanoTime() < deadline) {
            if (link.isOver() || link.generation() != generation) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
        if (link.generation() == generation && !link.isUp()) {
            link.fail(new IOException("the peer's connection dropped and it did not come back within "
                    + link.limit().toSeconds() + " s"));
        }
    }
}
