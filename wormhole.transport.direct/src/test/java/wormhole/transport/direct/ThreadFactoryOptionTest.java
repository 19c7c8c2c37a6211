package wormhole.transport.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import wormhole.api.Channel;
import wormhole.api.ChannelEvent;
import wormhole.api.EndReason;
import wormhole.api.Wormhole;
import wormhole.testing.Events;

/**
 * {@code Wormhole.Builder.threads}: every thread a direct channel runs, the engine's and the
 * transport's, comes from the factory given, named after its job.
 */
@Timeout(20)
class ThreadFactoryOptionTest {
    @TempDir
    Path hostInbox;
    @TempDir
    Path peerInbox;

    @Test
    void theEngineAndTheTransportTakeTheirThreadsFromTheBuildersFactory() throws Exception {
        List<Thread> made = new CopyOnWriteArrayList<>();
        ThreadFactory recording = task -> {
            Thread t = new Thread(task);
            t.setDaemon(true);
            made.add(t);
            return t;
        };
        Events hostEvents = new Events();
        Events peerEvents = new Events();
        Channel host = Wormhole.builder().inbox(hostInbox).threads(recording).build()
                .host(URI.create("tcp://127.0.0.1:0"), hostEvents);
        Channel peer = Wormhole.builder().inbox(peerInbox).threads(recording).build()
                .connect(URI.create("tcp://127.0.0.1:" + host.code().nameplate()), host.code(), peerEvents);
        try {
            hostEvents.next(ChannelEvent.Connected.class);
            peerEvents.next(ChannelEvent.Connected.class);
            peer.sendText("hello", Duration.ofSeconds(5));
            assertEquals("hello", hostEvents.next(ChannelEvent.TextReceived.class).body());
        } finally {
            peer.close();
            host.close();
        }
        peerEvents.ended(EndReason.CLOSED);
        Set<String> names = made.stream().map(Thread::getName).collect(Collectors.toSet());
        assertTrue(names.containsAll(Set.of("wormhole-channel", "wormhole-timer", "wormhole-receipts",
                "wormhole-direct-accept", "wormhole-direct-confirm")), names.toString());
        assertTrue(made.stream().allMatch(Thread::isDaemon));
    }
}
