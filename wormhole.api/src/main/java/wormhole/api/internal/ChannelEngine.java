package wormhole.api.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import wormhole.api.Channel;
import wormhole.api.ChannelCode;
import wormhole.api.ChannelEvent;
import wormhole.api.ChannelListener;
import wormhole.api.Delivery;
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
 *
 * <p>Inactivity: only real items (text, files, streams and their chunks, a goodbye), sent or received,
 * reset this end's inactivity clock. Keepalives ({@code ping}) and receipts ({@code ack}) do not, so a
 * channel whose two processes still run but which nobody uses still ends after the inactivity
 * time-out, while the pings keep a relay from dropping it sooner.
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
    /** Sends receipts, so the read thread never blocks on a write (two full directions would deadlock). */
    private final ExecutorService receipts;
    private final AtomicLong nextId = new AtomicLong();
    private final Map<Long, CompletableFuture<Delivery>> awaiting = new ConcurrentHashMap<>();
    /** One outgoing stream at a time; texts and other frames still slip in between its chunks. */
    private final Object streamLock = new Object();
    /** The stream being received; only the read thread touches it. */
    private IncomingStream incoming;
    private volatile long lastSentNanos = System.nanoTime();

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
        this.receipts = Executors.newSingleThreadExecutor(r -> daemon(r, "wormhole-receipts"));
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
            if (shared.contains(Feature.PING)) {
                startKeepalives(l);
            }
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
        try {
            readFrames(l);
        } finally {
            dropIncoming();
        }
    }

    /** Ends the channel from the read thread; a stream half received is deleted first. */
    private void fail(EndReason reason, String detail) {
        dropIncoming();
        end(reason, detail);
    }

    private void dropIncoming() {
        IncomingStream s = incoming;
        incoming = null;
        if (s != null) {
            s.discard();
        }
    }

    private void readFrames(FrameLink l) {
        while (ending.get() == null) {
            byte[] frame;
            try {
                frame = l.receive();
            } catch (EOFException e) {
                fail(dropReason(), "the peer closed the connection");
                return;
            } catch (FrameTooLargeException e) {
                fail(EndReason.ERROR, e.getMessage());
                return;
            } catch (IOException e) {
                fail(dropReason(), describe(e));
                return;
            }
            Message message;
            try {
                message = codec.decode(session.open(frame));
            } catch (CryptoException e) {
                fail(EndReason.ERROR, "a frame failed to decrypt: " + e.getMessage());
                return;
            } catch (MessageFormatException e) {
                fail(EndReason.ERROR, e.getMessage());
                return;
            }
            if (!(message instanceof Message.Ping || message instanceof Message.Ack || message instanceof Message.Nack
                    || message instanceof Message.Unknown || message instanceof Message.Version)) {
                touch();
            }
            try {
                deliver(message);
            } catch (StreamMismatchException e) {
                fail(EndReason.ERROR, e.getMessage());
                return;
            } catch (IOException e) {
                fail(EndReason.ERROR, "could not save what arrived: " + describe(e));
                return;
            }
        }
    }

    private void deliver(Message message) throws IOException, StreamMismatchException {
        if (message instanceof Message.Chunk c) {
            IncomingStream s = incoming;
            if (s == null || s.id() != c.id()) {
                throw new StreamMismatchException("a chunk arrived for stream " + c.id() + ", which is not open");
            }
            s.write(c.frame(), c.offset(), c.length());
            s.progress(System.nanoTime()).ifPresent(this::emit);
        } else if (message instanceof Message.Text t) {
            byte[] utf8 = t.body().getBytes(StandardCharsets.UTF_8);
            if (utf8.length <= settings.inlineTextLimit()) {
                emit(new ChannelEvent.TextReceived(t.body()));
            } else {
                Path saved = inbox.saveText(utf8);
                emit(new ChannelEvent.TextSaved(saved, utf8.length));
            }
            receipt(new Message.Ack(t.id()));
        } else if (message instanceof Message.File f) {
            if (f.size() != f.content().length) {
                throw new IOException("a file arrived with " + f.content().length + " bytes but declared "
                        + f.size() + "; it was not saved");
            }
            Path saved = inbox.saveFile(f.name(), f.content());
            emit(new ChannelEvent.FileReceived(SafeName.of(f.name()), saved, f.content().length));
            receipt(new Message.Ack(f.id()));
        } else if (message instanceof Message.StreamStart st) {
            if (incoming != null) {
                throw new StreamMismatchException("stream " + st.id() + " opened before stream " + incoming.id() + " ended");
            }
            incoming = IncomingStream.open(inbox, st, System.nanoTime());
        } else if (message instanceof Message.StreamEnd e) {
            IncomingStream s = incoming;
            if (s == null || s.id() != e.id()) {
                throw new StreamMismatchException("stream " + e.id() + " ended, but it is not open");
            }
            s.verify(e);
            incoming = null;
            try {
                finishStream(s);
            } finally {
                s.discard();
            }
        } else if (message instanceof Message.StreamAbort a) {
            IncomingStream s = incoming;
            if (s != null && s.id() == a.id()) {
                incoming = null;
                s.discard();
            }
        } else if (message instanceof Message.Ack a) {
            CompletableFuture<Delivery> f = awaiting.remove(a.id());
            if (f != null) {
                f.complete(Delivery.CONFIRMED);
            }
        } else if (message instanceof Message.Nack n) {
            CompletableFuture<Delivery> f = awaiting.remove(n.id());
            if (f != null) {
                f.completeExceptionally(new WormholeException(Failure.REFUSED,
                        "the peer refused it: " + (n.detail().isEmpty() ? n.error() : n.detail())));
            }
        } else if (message instanceof Message.Close) {
            end(EndReason.PEER_CLOSED, "the peer closed the channel");
        }
        // Ping, a repeated Version and Unknown types are ignored, as Python ignores unknown types.
    }

    /** Publishes a verified stream: a file under its safe name, or a directory after checking every entry. */
    private void finishStream(IncomingStream s) throws IOException {
        if (s.kind() != StreamKind.DIRECTORY) {
            Path saved = inbox.publish(s.temp(), s.safeName());
            s.discard();
            emit(new ChannelEvent.FileReceived(s.safeName(), saved, s.received()));
            receipt(new Message.Ack(s.id()));
            return;
        }
        Path unpacking = inbox.newTempDirPath();
        try {
            DirectoryArchive.Unpacked unpacked;
            try {
                unpacked = DirectoryArchive.unpack(s.temp(), unpacking);
            } finally {
                s.discard();
            }
            Path saved = inbox.publishDirectory(unpacking, s.safeName());
            emit(new ChannelEvent.DirectoryReceived(s.safeName(), saved, unpacked.bytes(), unpacked.files()));
            receipt(new Message.Ack(s.id()));
        } catch (HostileArchiveException e) {
            Inbox.deleteTree(unpacking);
            emit(new ChannelEvent.Refused(s.safeName(), e.getMessage()));
            receipt(new Message.Nack(s.id(), "refused", e.getMessage()));
        } catch (IOException e) {
            Inbox.deleteTree(unpacking);
            throw e;
        }
    }

    /** Queues a receipt where the item had an id; never blocks the read thread. */
    private void receipt(Message receipt) {
        long id = receipt instanceof Message.Ack a ? a.id() : ((Message.Nack) receipt).id();
        if (id == 0 || !shared.contains(Feature.ACK)) {
            return;
        }
        try {
            receipts.execute(() -> {
                try {
                    send(receipt, false);
                } catch (WormholeException e) {
                    // the channel is ending; the sender learns it from the ending
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the channel is over
        }
    }

    @Override
    public void sendText(String text) throws WormholeException {
        sendText(text, Duration.ZERO);
    }

    @Override
    public Delivery sendText(String text, Duration ackTimeout) throws WormholeException {
        long id = newId();
        CompletableFuture<Delivery> receipt = expect(id);
        try {
            send(new Message.Text(text, id), true);
        } catch (WormholeException e) {
            awaiting.remove(id);
            throw e;
        }
        return await(id, receipt, ackTimeout);
    }

    @Override
    public void sendFile(Path file, String name) throws WormholeException {
        sendFile(file, name, Duration.ZERO);
    }

    @Override
    public Delivery sendFile(Path file, String name, Duration ackTimeout) throws WormholeException {
        if (Files.isDirectory(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return sendDirectory(file, name, ackTimeout);
        }
        long size;
        try {
            if (!Files.isRegularFile(file)) {
                throw new WormholeException(Failure.UNREADABLE, "not a regular file: " + file.getFileName());
            }
            size = Files.size(file);
        } catch (IOException e) {
            throw new WormholeException(Failure.UNREADABLE, "cannot read " + file.getFileName() + ": " + describe(e), e);
        }
        if (shared.contains(Feature.STREAM)) {
            try (InputStream in = Files.newInputStream(file)) {
                return stream(name, size, StreamKind.FILE, out -> {
                    out.drain(in, size);
                    if (in.read() >= 0) {
                        throw new IOException("the file grew while it was sent");
                    }
                }, ackTimeout);
            } catch (IOException e) {
                throw new WormholeException(Failure.UNREADABLE, "cannot read " + file.getFileName() + ": " + describe(e), e);
            }
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
        long id = newId();
        CompletableFuture<Delivery> receipt = expect(id);
        try {
            send(new Message.File(name, content.length, content, id), true);
        } catch (WormholeException e) {
            awaiting.remove(id);
            throw e;
        }
        return await(id, receipt, ackTimeout);
    }

    private Delivery sendDirectory(Path dir, String name, Duration ackTimeout) throws WormholeException {
        requireStream("a directory");
        java.util.List<DirectoryArchive.Entry> entries;
        try {
            entries = DirectoryArchive.list(dir);
        } catch (IOException e) {
            throw new WormholeException(Failure.UNREADABLE, "cannot send the folder " + dir.getFileName() + ": " + describe(e), e);
        }
        return stream(name, -1, StreamKind.DIRECTORY, out -> DirectoryArchive.write(entries, out), ackTimeout);
    }

    @Override
    public Delivery sendStream(InputStream in, String name, Duration ackTimeout) throws WormholeException {
        requireStream("input of unknown length");
        return stream(name, -1, StreamKind.STDIN, out -> out.drain(in, Long.MAX_VALUE), ackTimeout);
    }

    private void requireStream(String what) throws WormholeException {
        if (!connected) {
            throw new WormholeException(ending.get() != null ? Failure.CLOSED : Failure.NOT_CONNECTED,
                    ending.get() != null ? "the channel is closed" : "the channel is not connected yet");
        }
        if (!shared.contains(Feature.STREAM)) {
            throw new WormholeException(Failure.UNSUPPORTED, "the peer cannot take " + what
                    + ": it lacks the stream feature (a version-1 peer takes files of at most "
                    + maxVersion1FileSize("file") + " bytes)");
        }
    }

    /** Writes a stream's content into a {@link ChunkWriter}. */
    @FunctionalInterface
    private interface Content {
        void writeTo(ChunkWriter out) throws IOException;
    }

    /** Signals, through the I/O of a content writer, that the link broke rather than the input. */
    private static final class LinkBroken extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient WormholeException failure;

        LinkBroken(WormholeException failure) {
            super(failure.getMessage());
            this.failure = failure;
        }
    }

    /**
     * Sends one stream: its opening message, chunks of at most 64 KiB (each frame under the send lock,
     * so other messages slip in between), and its end with the size and SHA-256; then waits for the receipt.
     */
    private Delivery stream(String name, long size, StreamKind kind, Content content, Duration ackTimeout)
            throws WormholeException {
        synchronized (streamLock) {
            long id = nextId.incrementAndGet();
            CompletableFuture<Delivery> receipt = expect(id);
            try {
                send(new Message.StreamStart(id, name, size, kind), true);
                ChunkWriter out = new ChunkWriter(id, (plain, length) -> {
                    try {
                        sendFrame(plain, length, true);
                    } catch (WormholeException e) {
                        throw new LinkBroken(e);
                    }
                });
                try {
                    content.writeTo(out);
                    out.finish();
                } catch (LinkBroken e) {
                    throw e.failure;
                } catch (IOException e) {
                    send(new Message.StreamAbort(id, "the sender could not read its input"), true);
                    throw new WormholeException(Failure.UNREADABLE, "cannot read " + name + ": " + describe(e), e);
                }
                if (size >= 0 && out.count() != size) {
                    send(new Message.StreamAbort(id, "the file changed while it was sent"), true);
                    throw new WormholeException(Failure.UNREADABLE, name + " changed while it was sent");
                }
                send(new Message.StreamEnd(id, out.count(), out.sha256()), true);
            } catch (WormholeException e) {
                awaiting.remove(id);
                throw e;
            }
            return await(id, receipt, ackTimeout);
        }
    }

    /** @return a fresh id when both ends support receipts, else 0 (no id on the wire) */
    private long newId() {
        return shared.contains(Feature.ACK) ? nextId.incrementAndGet() : 0;
    }

    private CompletableFuture<Delivery> expect(long id) {
        CompletableFuture<Delivery> f = new CompletableFuture<>();
        if (id != 0 && shared.contains(Feature.ACK)) {
            awaiting.put(id, f);
        } else {
            f.complete(Delivery.HANDED_OFF);
        }
        return f;
    }

    private Delivery await(long id, CompletableFuture<Delivery> receipt, Duration timeout) throws WormholeException {
        if (timeout.isZero() || timeout.isNegative()) {
            awaiting.remove(id);
            return receipt.isDone() && !receipt.isCompletedExceptionally() ? receipt.join() : Delivery.HANDED_OFF;
        }
        try {
            return receipt.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new WormholeException(Failure.ACK_TIMEOUT, "sent, but the peer did not confirm it within "
                    + describe(timeout), e);
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

    /** The largest file whose version-1 message (base64 in JSON) still fits one frame. */
    private long maxVersion1FileSize(String name) {
        int frameLimit = link == null ? FrameLink.MAX_FRAME_SIZE : link.maxFrameSize();
        int overhead = FrameSession.TAG_LENGTH + 64 + name.getBytes(StandardCharsets.UTF_8).length * 6;
        long base64Chars = frameLimit - overhead;
        return base64Chars / 4 * 3;
    }

    private void send(Message message, boolean activity) throws WormholeException {
        byte[] plain = codec.encode(message);
        sendFrame(plain, plain.length, activity);
    }

    /**
     * Seals and sends one frame under the send lock.
     *
     * @param plain    the plaintext buffer
     * @param length   the frame's plaintext length
     * @param activity whether it resets this end's inactivity clock (not for pings and receipts)
     */
    private void sendFrame(byte[] plain, int length, boolean activity) throws WormholeException {
        synchronized (sendLock) {
            if (ending.get() != null) {
                throw new WormholeException(Failure.CLOSED, "the channel is closed");
            }
            if (!connected) {
                throw new WormholeException(Failure.NOT_CONNECTED, "the channel is not connected yet");
            }
            FrameLink l = link;
            if (length + FrameSession.TAG_LENGTH > l.maxFrameSize()) {
                throw new WormholeException(Failure.TOO_LARGE, "the message has " + length
                        + " bytes; one frame carries at most " + (l.maxFrameSize() - FrameSession.TAG_LENGTH));
            }
            try {
                l.send(session.seal(plain, 0, length));
            } catch (CryptoException e) {
                end(EndReason.ERROR, e.getMessage());
                throw new WormholeException(Failure.CLOSED, e.getMessage(), e);
            } catch (IOException e) {
                end(EndReason.DISCONNECTED, describe(e));
                throw new WormholeException(Failure.PEER_GONE, "the peer is gone: " + describe(e), e);
            }
            lastSentNanos = System.nanoTime();
            if (activity) {
                touch();
            }
        }
    }

    /**
     * Sends a ping whenever nothing was sent for a keepalive interval: a quarter of the shorter of our
     * inactivity time-out and the link's idle limit (a relay's), so neither drops a channel in use.
     */
    private void startKeepalives(FrameLink l) {
        long limit = settings.inactivityTimeout().toNanos();
        Optional<Duration> linkLimit = l.idleLimit();
        if (linkLimit.isPresent() && !linkLimit.get().isZero() && !linkLimit.get().isNegative()) {
            limit = Math.min(limit, linkLimit.get().toNanos());
        }
        long interval = Math.max(TimeUnit.MILLISECONDS.toNanos(20), limit / 4);
        long check = Math.max(TimeUnit.MILLISECONDS.toNanos(10), interval / 4);
        try {
            timer.scheduleWithFixedDelay(() -> {
                if (connected && System.nanoTime() - lastSentNanos >= interval) {
                    try {
                        send(new Message.Ping(), false);
                    } catch (WormholeException e) {
                        // the channel is ending
                    }
                }
            }, check, check, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the channel ended meanwhile
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
                send(new Message.Close(), true);
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
        receipts.shutdown();
        WormholeException gone = new WormholeException(reason.deliberate() ? Failure.CLOSED : Failure.PEER_GONE,
                "the channel ended before the peer confirmed: " + detail);
        awaiting.values().forEach(f -> f.completeExceptionally(gone));
        awaiting.clear();
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
