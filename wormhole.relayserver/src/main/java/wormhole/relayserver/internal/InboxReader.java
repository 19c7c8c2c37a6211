package wormhole.relayserver.internal;

import java.util.Map;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The one thread of an instance that reads Redis: a blocking read of the streams of every side held
 * here, whose entries (the other side's frames, and notices) it hands to the {@link SharedRelay}.
 */
final class InboxReader implements Runnable {
    private static final int BLOCK_MILLIS = 50;
    private static final int ENTRIES_PER_STREAM = 64;

    private final SharedRelay relay;
    private final SharedStore store;
    private volatile boolean running = true;
    private final Thread thread;

    InboxReader(SharedRelay relay, SharedStore store) {
        this.relay = relay;
        this.store = store;
        this.thread = new Thread(this, "relay-redis-reader");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void stop() {
        running = false;
        thread.interrupt();
    }

    @Override
    public void run() {
        while (running) {
            Map<byte[], StreamEntryID> positions = relay.positions();
            try {
                if (positions.isEmpty()) {
                    Thread.sleep(BLOCK_MILLIS);
                    continue;
                }
                relay.arrived(store.read(positions, BLOCK_MILLIS, ENTRIES_PER_STREAM));
            } catch (InterruptedException e) {
                return;
            } catch (JedisException e) {
                if (!running) {
                    return;
                }
                relay.readFailed(e);
                try {
                    Thread.sleep(500);
                } catch (InterruptedException stop) {
                    return;
                }
            } catch (RuntimeException e) {
                relay.readFailed(new JedisException("reading the streams failed: " + e, e));
            }
        }
    }
}
