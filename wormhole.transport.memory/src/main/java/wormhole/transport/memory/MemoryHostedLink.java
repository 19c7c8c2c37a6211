package wormhole.transport.memory;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.HostedLink;

/** A host registered in a {@link MemoryRendezvous}, waiting for the one peer it takes. */
final class MemoryHostedLink implements HostedLink {
    private final MemoryRendezvous rendezvous;
    private final String name;
    private final int nameplate;
    private final CompletableFuture<FrameLink> peer = new CompletableFuture<>();
    private final AtomicBoolean handedOut = new AtomicBoolean();

    MemoryHostedLink(MemoryRendezvous rendezvous, String name, int nameplate) {
        this.rendezvous = rendezvous;
        this.name = name;
        this.nameplate = nameplate;
    }

    @Override
    public String nameplate() {
        return Integer.toString(nameplate);
    }

    /**
     * Hands the host its end of a new link.
     *
     * @return false when this host already gave up
     */
    boolean offer(FrameLink hostSide) {
        return peer.complete(hostSide);
    }

    @Override
    public FrameLink awaitPeer(Duration timeout) throws IOException {
        try {
            FrameLink link = timeout.isZero() ? peer.get() : peer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            handedOut.set(true);
            return link;
        } catch (TimeoutException e) {
            close();
            throw new SocketTimeoutException("no peer arrived within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IOException("interrupted while waiting for the peer", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause);
        }
    }

    @Override
    public void close() {
        rendezvous.remove(name, nameplate, this);
        if (!peer.completeExceptionally(new IOException("the rendezvous was closed"))
                && !handedOut.get()) {
            // A peer arrived but the host never took its end: let the peer see the end of the link.
            FrameLink orphan = peer.getNow(null);
            if (orphan != null) {
                orphan.close();
            }
        }
    }
}
