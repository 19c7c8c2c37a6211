package wormhole.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The proof on a direct connection (docs/PROTOCOL.md 3.3), over an in-memory pair: the two ends of a
 * channel prove each other; an end with another session's keys, or one that replays its own role,
 * is refused by the other, which never answers a wrong proof.
 */
@Timeout(20)
class UpgradeProofTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private static byte[] key() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return k;
    }

    private final byte[] host = key();
    private final byte[] peer = key();

    /** Runs the listener's side on another thread; returns its failure, if any. */
    private static CompletableFuture<Void> answer(UpgradeProof listener, LinkPair.End link) {
        return CompletableFuture.runAsync(() -> {
            try {
                listener.answer(link);
            } catch (IOException e) {
                link.close();
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    @Test
    void theTwoEndsOfAChannelProveEachOtherWhicheverDials() throws Exception {
        LinkPair pair = new LinkPair();
        CompletableFuture<Void> listened = answer(new UpgradeProof(host, peer, RANDOM), pair.b);
        new UpgradeProof(peer, host, RANDOM).dial(pair.a);
        listened.get(5, TimeUnit.SECONDS);

        LinkPair other = new LinkPair();
        CompletableFuture<Void> listened2 = answer(new UpgradeProof(peer, host, RANDOM), other.b);
        new UpgradeProof(host, peer, RANDOM).dial(other.a);
        listened2.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aThirdPartyWithoutTheSessionIsRefusedAndLearnsNoAnswer() throws Exception {
        LinkPair pair = new LinkPair();
        CompletableFuture<Void> listened = answer(new UpgradeProof(host, peer, RANDOM), pair.b);
        UpgradeProof stranger = new UpgradeProof(key(), key(), RANDOM);
        assertThrows(IOException.class, () -> stranger.dial(pair.a), "no answer comes: the connection is closed");
        ExecutionException e = assertThrows(ExecutionException.class, () -> listened.get(5, TimeUnit.SECONDS));
        assertEquals("a wrong proof on a direct connection", e.getCause().getMessage());
    }

    @Test
    void anEndThatReachesItsOwnListenerIsRefused() throws Exception {
        // The host's listener checks a dialer's proof with the peer's key, so the host's own proof fails.
        LinkPair pair = new LinkPair();
        CompletableFuture<Void> listened = answer(new UpgradeProof(host, peer, RANDOM), pair.b);
        assertThrows(IOException.class, () -> new UpgradeProof(host, peer, RANDOM).dial(pair.a));
        assertThrows(ExecutionException.class, () -> listened.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aListenerWithoutTheSessionIsFoundOutByTheDialer() throws Exception {
        LinkPair pair = new LinkPair();
        // A listener that answers with the wrong key (say, whatever listens at a stale hint).
        CompletableFuture<Void> listened = answer(new UpgradeProof(key(), peer, RANDOM), pair.b);
        IOException e = assertThrows(IOException.class, () -> new UpgradeProof(peer, host, RANDOM).dial(pair.a));
        assertEquals("the answer on a direct connection is not our peer's", e.getMessage());
        listened.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aRequestThatIsNotAnUpgradeRequestIsRefusedBeforeAnyChallenge() throws Exception {
        LinkPair pair = new LinkPair();
        CompletableFuture<Void> listened = answer(new UpgradeProof(host, peer, RANDOM), pair.b);
        pair.a.send("GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThrows(ExecutionException.class, () -> listened.get(5, TimeUnit.SECONDS));
        assertThrows(IOException.class, pair.a::receive, "closed without a challenge");
    }
}
