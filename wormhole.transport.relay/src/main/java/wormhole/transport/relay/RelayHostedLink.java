package wormhole.transport.relay;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.HostedLink;

/** A host registered at a relay, with the nameplate the relay assigned, waiting for its one peer. */
final class RelayHostedLink implements HostedLink {
    private final Session session;
    private final AtomicBoolean done = new AtomicBoolean();

    RelayHostedLink(Session session) {
        this.session = session;
    }

    /** @return the nameplate the relay assigned, or an empty string for a channel under a chosen code */
    @Override
    public String nameplate() {
        String n = session.nameplate();
        return n == null ? "" : n;
    }

    @Override
    public FrameLink awaitPeer(Duration timeout) throws IOException {
        if (done.get()) {
            throw new IOException("this rendezvous is over: it takes one peer");
        }
        try {
            session.awaitPaired(timeout);
        } catch (IOException e) {
            close();
            throw e;
        }
        done.set(true);
        return new RelayLink(session);
    }

    /** Gives up waiting; once a peer has been handed over, the link is the caller's to close. */
    @Override
    public void close() {
        if (done.compareAndSet(false, true)) {
            session.close();
        }
    }
}
