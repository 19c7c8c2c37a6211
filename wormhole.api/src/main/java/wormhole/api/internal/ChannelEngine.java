package wormhole.api.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import wormhole.api.Channel;
import wormhole.api.ChannelCode;
import wormhole.api.ChannelEvent;
import wormhole.api.ChannelListener;
import wormhole.api.EndReason;
import wormhole.api.Feature;
import wormhole.api.Role;
import wormhole.api.WormholeException;
import wormhole.api.WormholeException.Failure;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.FrameTooLargeException;
import wormhole.api.spi.HostedLink;
import wormhole.crypto.CryptoException;
import wormhole.crypto.FrameSession;
import wormhole.crypto.SharedSecret;
import wormhole.crypto.Side;
import wormhole.crypto.Spake2;

/**
 * Runs one channel: waits for the link, does the SPAKE2 handshake and the version exchange (the key
 * confirmation), then reads frames on its own thread and turns them into events, while callers send
 * on theirs. Every ending goes through {@link #end}, which happens once, closes the link, wipes the
 * keys and reports {@link ChannelEvent.Ended} last.
 */
public final class ChannelEngine implements Channel {
    /** The protocol version this engine speaks. */
    public static final int PROTOCOL_VERSION = 1;

    private final Role role;
    private final ChannelCode code;
    private final EngineSettings settings;
    private final ChannelListener listener;
    private final MessageCodec codec = new MessageCodec();
    private final Inbox inbox;
    private final Object sendLock = new Object();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final AtomicReference<ChannelEvent.Ended> ending = new AtomicReference<>();
    private final ScheduledExecutorService timer;

    private volatile FrameLink link;
    private volatile HostedLink hosted;
    private volatile FrameSession session;
    private volatile String verifier;
    private volatile Set<Feature> shared = Set.of();
    private volatile boolean connected;
    private volatile long lastActivityNanos = System.nanoTime();
    /** Set before a goodbye is sent, so the other end hanging up in answer does not read as a drop. */
    private volatile EndReason leaving;
    /** Serialises listener calls: one event at a time, and nothing after the ending. */
    private final Object listenerLock = new Object();
    private boolean endReported;

    private ChannelEngine(Role role, ChannelCode code, EngineSettings settings, ChannelListener listener) {
        this.role = role;
        this.code = code;
        this.settings = settings;
        this.listener = listener;
        this.inbox = new Inbox(settings.inbox(), settings.random());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "wormhole-timer"));
    }

    /**
     * Starts the host's side: waits on {@code hosted} for the peer, then runs the channel.
     *
     * @param hosted   the waiting rendezvous
     * @param code     the code made from its nameplate
     * @param settings the configuration
     * @param listener who hears the events
     * @return the running channel
     */
    public static ChannelEngine host(HostedLink hosted, ChannelCode code, EngineSettings settings,
            ChannelListener listener) {
        ChannelEngine engine = new ChannelEngine(Role.HOST, code, settings, listener);
        engine.hosted = hosted;
        engine.start(() -> hosted.awaitPeer(Duration.ZERO));
        return engine;
    }

    /**
     * Starts the peer's side: opens the link with {@code opener}, then runs the channel.
     *
     * @param opener   opens the link to the host (it may block for the connect time-out)
     * @param code     the code the person typed
     * @param settings the configuration
     * @param listener who hears the events
     * @return the running channel
     */
    public static ChannelEngine peer(LinkOpener opener, ChannelCode code, EngineSettings settings,
            ChannelListener listener) {
        ChannelEngine engine = new ChannelEngine(Role.PEER, code, settings, listener);
        engine.start(opener);
        return engine;
    }

    /** Opens a link; the engine calls it on its own thread. */
    @FunctionalInterface
    public interface LinkOpener {
        /**
         * @return the open link
         * @throws IOException when the other end cannot be reached
         */
        FrameLink open() throws IOException;
    }

    private void start(LinkOpener opener) {
        long checkMillis = Math.max(50, Math.min(settings.inactivityTimeout().toMillis() / 10, 60_000));
        timer.scheduleWithFixedDelay(this::checkInactivity, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
        daemon(() -> {
            try {
                run(opener);
            } catch (RuntimeException e) {
                end(EndReason.ERROR, "internal error: " + e);
            }
        }, "wormhole-channel").start();
    }

    private void run(LinkOpener opener) {
        FrameLink opened;
        try {
            opened = opener.open();
        } catch (IOException e) {
            end(EndReason.CONNECTION_FAILED, describe(e));
            return;
        }
        link = opened;
        if (ending.get() != null) {
            opened.close();
            return;
        }
        touch();
        if (!handshake(opened)) {
            return;
        }
        readLoop(opened);
    }

    private boolean handshake(FrameLink l) {
        var deadline = timer.schedule(() -> end(EndReason.HANDSHAKE_FAILED,
                "no handshake within " + describe(settings.handshakeTimeout())),
                settings.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        Side side = role == Role.HOST ? Side.HOST : Side.PEER;
        Spake2 spake = Spake2.start(side, code.password(), settings.random());
        try {
            l.send(spake.outboundMessage());
            byte[] theirs = l.receive();
            FrameSession s;
            String candidateVerifier;
            try (SharedSecret secret = spake.finish(theirs)) {
                s = secret.sessionFor(side);
                candidateVerifier = secret.verifier();
            }
            session = s;
            Message.Version ours = new Message.Version(PROTOCOL_VERSION, role,
                    wireNames(settings.features()), settings.implementation());
            synchronized (sendLock) {
                l.send(s.seal(codec.encode(ours)));
            }
            byte[] plain;
            try {
                plain = s.open(l.receive());
            } catch (CryptoException e) {
                end(EndReason.HANDSHAKE_FAILED, "key confirmation failed: the codes differ");
                return false;
            }
            Message.Version theirsVersion = codec.decodeVersion(plain);
            if (theirsVersion.version() != PROTOCOL_VERSION) {
                end(EndReason.HANDSHAKE_FAILED, "the peer speaks protocol version " + theirsVersion.version());
                return false;
            }
            if (theirsVersion.role() == role) {
                end(EndReason.HANDSHAKE_FAILED, "both ends claim the role " + role.wireName());
                return false;
            }
            EnumSet<Feature> both = EnumSet.noneOf(Feature.class);
            for (String name : theirsVersion.features()) {
                Feature.fromWire(name).filter(settings.features()::contains).ifPresent(both::add);
            }
            shared = Set.copyOf(both);
            deadline.cancel(false);
            if (ending.get() != null) {
                return false;
            }
            verifier = candidateVerifier;
            connected = true;
            touch();
            emit(new ChannelEvent.Connected(candidateVerifier, shared, theirsVersion.implementation()));
            return true;
        } catch (CryptoException e) {
            end(EndReason.HANDSHAKE_FAILED, e.getMessage());
        } catch (MessageFormatException e) {
            end(EndReason.HANDSHAKE_FAILED, e.getMessage());
        } catch (EOFException e) {
            end(EndReason.HANDSHAKE_FAILED, "the other end closed the connection during the handshake");
        } catch (IOException e) {
            end(EndReason.HANDSHAKE_FAILED, describe(e));
        }
        return false;
    }

    private void readLoop(FrameLink l) {
        while (ending.get() == null) {
            byte[] frame;
            try {
                frame = l.receive();
            } catch (EOFException e) {
                end(dropReason(), "the peer closed the connection");
                return;
            } catch (FrameTooLargeException e) {
                end(EndReason.ERROR, e.getMessage());
                return;
            } catch (IOException e) {
                end(dropReason(), describe(e));
                return;
            }
            touch();
            Message message;
            try {
                message = codec.decode(session.open(frame));
            } catch (CryptoException e) {
                end(EndReason.ERROR, "a frame failed to decrypt: " + e.getMessage());
                return;
            } catch (MessageFormatException e) {
                end(EndReason.ERROR, e.getMessage());
                return;
            }
            try {
                deliver(message);
            } catch (IOException e) {
                end(EndReason.ERROR, "could not save what arrived: " + describe(e));
                return;
            }
        }
    }

    private void deliver(Message message) throws IOException {
        if (message instanceof Message.Text t) {
            byte[] utf8 = t.body().getBytes(StandardCharsets.UTF_8);
            if (utf8.length <= settings.inlineTextLimit()) {
                emit(new ChannelEvent.TextReceived(t.body()));
            } else {
                Path saved = inbox.saveText(utf8);
                emit(new ChannelEvent.TextSaved(saved, utf8.length));
            }
        } else if (message instanceof Message.File f) {
            if (f.size() != f.content().length) {
                throw new IOException("a file arrived with " + f.content().length + " bytes but declared "
                        + f.size() + "; it was not saved");
            }
            Path saved = inbox.saveFile(f.name(), f.content());
            emit(new ChannelEvent.FileReceived(SafeName.of(f.name()), saved, f.content().length));
        } else if (message instanceof Message.Close) {
            end(EndReason.PEER_CLOSED, "the peer closed the channel");
        }
        // Ping, a repeated Version and Unknown types are ignored, as Python ignores unknown types.
    }

    @Override
    public void sendText(String text) throws WormholeException {
        send(new Message.Text(text));
    }

    @Override
    public void sendFile(Path file, String name) throws WormholeException {
        long size;
        try {
            if (!Files.isRegularFile(file)) {
                throw new WormholeException(Failure.UNREADABLE, "not a regular file: " + file.getFileName());
            }
            size = Files.size(file);
        } catch (IOException e) {
            throw new WormholeException(Failure.UNREADABLE, "cannot read " + file.getFileName() + ": " + describe(e), e);
        }
        long limit = maxVersion1FileSize(name);
        if (size > limit) {
            throw new WormholeException(Failure.TOO_LARGE, "the file has " + size
                    + " bytes; this peer takes files of at most " + limit + " bytes in one version-1 message");
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new WormholeException(Failure.UNREADABLE, "no such file: " + file.getFileName(), e);
        } catch (IOException e) {
            throw new WormholeException(Failure.UNREADABLE, "cannot read " + file.getFileName() + ": " + describe(e), e);
        }
        send(new Message.File(name, content.length, content));
    }

    /** The largest file whose version-1 message (base64 in JSON) still fits one frame. */
    private long maxVersion1FileSize(String name) {
        int frameLimit = link == null ? FrameLink.MAX_FRAME_SIZE : link.maxFrameSize();
        int overhead = FrameSession.TAG_LENGTH + 64 + name.getBytes(StandardCharsets.UTF_8).length * 6;
        long base64Chars = frameLimit - overhead;
        return base64Chars / 4 * 3;
    }

    private void send(Message message) throws WormholeException {
        byte[] plain = codec.encode(message);
        synchronized (sendLock) {
            if (ending.get() != null) {
                throw new WormholeException(Failure.CLOSED, "the channel is closed");
            }
            if (!connected) {
                throw new WormholeException(Failure.NOT_CONNECTED, "the channel is not connected yet");
            }
            FrameLink l = link;
            if (plain.length + FrameSession.TAG_LENGTH > l.maxFrameSize()) {
                throw new WormholeException(Failure.TOO_LARGE, "the message has " + plain.length
                        + " bytes; one frame carries at most " + (l.maxFrameSize() - FrameSession.TAG_LENGTH));
            }
            try {
                l.send(session.seal(plain));
            } catch (CryptoException e) {
                end(EndReason.ERROR, e.getMessage());
                throw new WormholeException(Failure.CLOSED, e.getMessage(), e);
            } catch (IOException e) {
                end(EndReason.DISCONNECTED, describe(e));
                throw new WormholeException(Failure.PEER_GONE, "the peer is gone: " + describe(e), e);
            }
            touch();
        }
    }

    @Override
    public void close() {
        leave(EndReason.CLOSED, "closed by this end");
    }

    /** Says goodbye where the peer supports it, then ends for {@code reason}. */
    private void leave(EndReason reason, String detail) {
        if (ending.get() != null) {
            return;
        }
        leaving = reason;
        if (connected && shared.contains(Feature.CLOSE)) {
            try {
                send(new Message.Close());
            } catch (WormholeException e) {
                // the link is already gone; end() below still reports why we left
            }
        }
        end(reason, detail);
    }

    /** Why the link dropped: our own leaving if we were already on our way out, else a disconnection. */
    private EndReason dropReason() {
        EndReason r = leaving;
        return r != null ? r : EndReason.DISCONNECTED;
    }

    /**
     * Ends the channel once, whatever calls it first.
     *
     * @param reason why
     * @param detail a detail for people
     */
    void end(EndReason reason, String detail) {
        ChannelEvent.Ended event = new ChannelEvent.Ended(reason, detail);
        if (!ending.compareAndSet(null, event)) {
            return;
        }
        connected = false;
        FrameLink l = link;
        if (l != null) {
            l.close();
        }
        HostedLink h = hosted;
        if (h != null) {
            h.close();
        }
        synchronized (sendLock) {
            FrameSession s = session;
            if (s != null) {
                s.close();
            }
        }
        timer.shutdown();
        try {
            synchronized (listenerLock) {
                endReported = true;
                listener.onEvent(event);
            }
        } catch (RuntimeException e) {
            // the listener's own failure; the channel is over either way
        } finally {
            ended.countDown();
        }
    }

    /**
     * Hands an event to the listener, one at a time and never after the ending. A listener that
     * throws ends the channel with an error rather than leave it half alive.
     */
    private void emit(ChannelEvent event) {
        RuntimeException failure = null;
        synchronized (listenerLock) {
            if (endReported) {
                return;
            }
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (failure != null) {
            end(EndReason.ERROR, "the event listener failed: " + failure);
        }
    }

    private void checkInactivity() {
        long idle = System.nanoTime() - lastActivityNanos;
        if (idle >= settings.inactivityTimeout().toNanos()) {
            leave(EndReason.TIMEOUT, "no activity for " + describe(settings.inactivityTimeout()));
        }
    }

    private void touch() {
        lastActivityNanos = System.nanoTime();
    }

    @Override
    public ChannelCode code() {
        return code;
    }

    @Override
    public Role role() {
        return role;
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    @Override
    public Optional<String> verifier() {
        return Optional.ofNullable(verifier);
    }

    /**
     * Reports a transport's link event through this channel's listener, in order with its other events.
     *
     * @param event  what happened
     * @param detail a short detail
     */
    public void linkEvent(wormhole.api.spi.LinkEvent event, String detail) {
        emit(new ChannelEvent.Link(event, detail));
    }

    /** @return the features both ends support, once connected */
    public Set<Feature> sharedFeatures() {
        return shared;
    }

    @Override
    public Optional<ChannelEvent.Ended> awaitEnd(Duration timeout) throws InterruptedException {
        if (ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return Optional.of(ending.get());
        }
        return Optional.empty();
    }

    private static Set<String> wireNames(Set<Feature> features) {
        return features.stream().map(Feature::wireName).collect(java.util.stream.Collectors.toSet());
    }

    private static String describe(Duration d) {
        return d.toMinutes() >= 1 ? d.toMinutes() + " min" : d.toMillis() / 1000.0 + " s";
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
