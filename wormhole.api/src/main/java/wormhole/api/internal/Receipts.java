package wormhole.api.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import wormhole.api.ChannelEvent;
import wormhole.api.Delivery;
import wormhole.api.Feature;
import wormhole.api.WormholeException;
import wormhole.api.WormholeException.Failure;
import wormhole.api.spi.Threads;

/**
 * Delivery receipts (feature {@code ack}) both ways: the items this end waits to hear about, and the
 * acks and nacks it owes for what arrived. Callers' threads expect and await receipts; the channel
 * thread settles them as acks and nacks arrive, and queues this end's own receipts, which a thread of
 * their own sends, so the read thread never blocks on a write (two full directions would deadlock).
 * The ending fails whatever is still awaited.
 */
final class Receipts {
    private final SealedLink connection;
    private final Map<Long, CompletableFuture<Delivery>> awaiting = new ConcurrentHashMap<>();
    private final ExecutorService outgoing;

    Receipts(SealedLink connection, ThreadFactory threads) {
        this.connection = connection;
        this.outgoing = Executors.newSingleThreadExecutor(Threads.named(threads, "wormhole-receipts"));
    }

    /**
     * @param id the item's id, or 0 for none
     * @return what becomes of the item: already {@link Delivery#HANDED_OFF} when no receipt will come
     */
    CompletableFuture<Delivery> expect(long id) {
        CompletableFuture<Delivery> f = new CompletableFuture<>();
        if (id != 0 && connection.shares(Feature.ACK)) {
            awaiting.put(id, f);
        } else {
            f.complete(Delivery.HANDED_OFF);
        }
        return f;
    }

    /** @param id an item that was not sent after all */
    void forget(long id) {
        awaiting.remove(id);
    }

    /**
     * Waits for an item's receipt.
     *
     * @param id      the item's id
     * @param receipt what {@link #expect} returned
     * @param timeout how long to wait; zero or less returns at once
     * @return {@link Delivery#CONFIRMED} when the peer confirmed it, else {@link Delivery#HANDED_OFF}
     * @throws WormholeException {@code ACK_TIMEOUT}, {@code REFUSED}, or the channel's ending
     */
    Delivery await(long id, CompletableFuture<Delivery> receipt, Duration timeout) throws WormholeException {
        if (timeout.isZero() || timeout.isNegative()) {
            awaiting.remove(id);
            return receipt.isDone() && !receipt.isCompletedExceptionally() ? receipt.join() : Delivery.HANDED_OFF;
        }
        try {
            return receipt.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new WormholeException(Failure.ACK_TIMEOUT, "sent, but the peer did not confirm it within "
                    + Details.of(timeout), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WormholeException w) {
                throw new WormholeException(w.failure(), w.getMessage(), w);
            }
            throw new WormholeException(Failure.CLOSED, String.valueOf(e.getCause()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WormholeException(Failure.ACK_TIMEOUT, "interrupted while waiting for the receipt", e);
        } finally {
            awaiting.remove(id);
        }
    }

    /** @param ack the peer confirmed one of our items */
    void settle(Message.Ack ack) {
        CompletableFuture<Delivery> f = awaiting.remove(ack.id());
        if (f != null) {
            f.complete(Delivery.CONFIRMED);
        }
    }

    /** @param nack the peer refused one of our items */
    void settle(Message.Nack nack) {
        CompletableFuture<Delivery> f = awaiting.remove(nack.id());
        if (f != null) {
            f.completeExceptionally(new WormholeException(Failure.REFUSED,
                    "the peer refused it: " + (nack.detail().isEmpty() ? nack.error() : nack.detail())));
        }
    }

    /** Queues this end's receipt where the item had an id; never blocks the read thread. */
    void reply(Message.Ack ack) {
        queue(ack.id(), ack);
    }

    /** Queues this end's refusal where the item had an id; never blocks the read thread. */
    void reply(Message.Nack nack) {
        queue(nack.id(), nack);
    }

    private void queue(long id, Message receipt) {
        if (id == 0 || !connection.shares(Feature.ACK)) {
            return;
        }
        try {
            outgoing.execute(() -> {
                try {
                    connection.send(receipt, false);
                } catch (WormholeException e) {
                    // the channel is ending; the sender learns it from the ending
                }
            });
        } catch (RejectedExecutionException e) {
            // the channel is over
        }
    }

    /** Part of the ending: stops sending receipts and fails every item still awaited. */
    void close(ChannelEvent.Ended ending) {
        outgoing.shutdown();
        WormholeException gone = new WormholeException(ending.reason().deliberate() ? Failure.CLOSED : Failure.PEER_GONE,
                "the channel ended before the peer confirmed: " + ending.detail());
        awaiting.values().forEach(f -> f.completeExceptionally(gone));
        awaiting.clear();
    }
}
