package wormhole.api.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;
import wormhole.api.Channel;
import wormhole.api.ChannelCode;
import wormhole.api.ChannelEvent;
import wormhole.api.ChannelListener;
import wormhole.api.Delivery;
import wormhole.api.EndReason;
import wormhole.api.Feature;
import wormhole.api.Role;
import wormhole.api.WormholeException;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.HostedLink;
import wormhole.api.spi.LinkEvent;
import wormhole.api.spi.Threads;

/**
 * Runs one channel: waits for the link, does the {@link Handshake}, then reads frames with a
 * {@link Receiver} on its own thread, while callers send through the {@link Sender} on theirs. Every
 * ending goes through {@link Ending}, which happens once; the engine's teardown then closes the link,
 * wipes the keys, stops the timers, fails the receipts still awaited and reports {@link ChannelEvent.Ended}
 * last.
 *
 * <p>Threads: the channel thread (opening, handshake, read loop), the timer thread (inactivity,
 * handshake deadline, keepalives), the receipts thread, and callers' threads (send, close, awaitEnd,
 * link events from transports), all made by {@link EngineSettings#threads()}; docs/threads.md lists them.
 * Nothing is started before the engine is built: the factories start it.
 *
 * <p>About 350 lines, a third of them Javadoc: it is the channel's wiring (each part, the handshake,
 * the receiver, the sender, the receipts, the path and the upgrade, is a class of its own), and its
 * start-up and teardown must be read in one place to see that every thread and key is released once.
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
    /** The host's waiting rendezvous; null for a peer. */
    private final HostedLink hosted;
    private final MessageCodec codec = new MessageCodec();
    private final SaveFolder inbox;
    private final Ending ending = new Ending();
    private final Activity activity = new Activity();
    private final Timers timers;
    private final EventSink events;
    private final SealedLink connection;
    private final Receipts receipts;
    private final Sender sender;
    private final UpgradeSettings upgrades;
    private volatile Upgrade upgrade;
    private volatile PathLink pathLink;
    private volatile String verifier;

    private ChannelEngine(Role role, ChannelCode code, HostedLink hosted, EngineSettings settings,
            UpgradeSettings upgrades, ChannelListener listener) {
        this.role = role;
        this.upgrades = upgrades;
        this.code = code;
        this.hosted = hosted;
        this.settings = settings;
        this.inbox = new SaveFolder(settings.inbox(), settings.random());
        this.events = new EventSink(listener, ending);
        this.connection = new SealedLink(codec, activity, ending);
        this.timers = new Timers(settings.threads());
        this.receipts = new Receipts(connection, settings.threads());
        this.sender = new Sender(connection, receipts, ending);
    }

    /**
     * Starts the host's side: waits on {@code hosted} for the peer, then runs the channel, which may
     * move to a direct connection when its link carries an upgrade.
     *
     * @param hosted   the waiting rendezvous
     * @param code     the code made from its nameplate
     * @param settings the configuration
     * @param upgrades how it may upgrade ({@link UpgradeSettings#NONE}: never)
     * @param listener who hears the events
     * @return the running channel
     */
    public static ChannelEngine host(HostedLink hosted, ChannelCode code, EngineSettings settings,
            UpgradeSettings upgrades, ChannelListener listener) {
        ChannelEngine engine = new ChannelEngine(Role.HOST, code, hosted, settings, upgrades, listener);
        engine.start(() -> hosted.awaitPeer(Duration.ZERO, PeerOpening.INSTANCE));
        return engine;
    }

    /**
     * Starts the peer's side: opens the link with {@code opener}, then runs the channel, which may
     * move to a direct connection when its link carries an upgrade.
     *
     * @param opener   opens the link to the host (it may block for the connect time-out)
     * @param code     the code the person typed
     * @param settings the configuration
     * @param upgrades how it may upgrade ({@link UpgradeSettings#NONE}: never)
     * @param listener who hears the events
     * @return the running channel
     */
    public static ChannelEngine peer(LinkOpener opener, ChannelCode code, EngineSettings settings,
            UpgradeSettings upgrades, ChannelListener listener) {
        ChannelEngine engine = new ChannelEngine(Role.PEER, code, null, settings, upgrades, listener);
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
        ending.onEnd(this::teardown);
        Duration idle = settings.inactivityTimeout();
        timers.watchInactivity(idle, activity, () -> leave(EndReason.TIMEOUT, "no activity for " + Details.of(idle)));
        Threads.start(settings.threads(), "wormhole-channel", () -> {
            try {
                run(opener);
            } catch (RuntimeException e) {
                ending.end(EndReason.ERROR, "internal error: " + e);
            }
        });
    }

    /** The channel thread: open, handshake, then read until the end. */
    private void run(LinkOpener opener) {
        FrameLink opened;
        try {
            opened = opener.open();
        } catch (IOException e) {
            ending.end(EndReason.CONNECTION_FAILED, Details.of(e));
            return;
        } catch (RuntimeException e) {
            ending.end(EndReason.CONNECTION_FAILED, ProviderCalls.describe(hosted != null ? "awaitPeer" : "connect", e));
            return;
        }
        if (opened == null) {
            ending.end(EndReason.CONNECTION_FAILED, "the transport opened no link");
            return;
        }
        FrameLink link = new GuardedLink(opened, ending);
        if (!connection.attach(link)) {
            return;
        }
        activity.touch();
        Optional<Agreed> agreed = handshake(link);
        if (agreed.isEmpty()) {
            return;
        }
        Receiver receiver = new Receiver(agreed.get().link(), agreed.get().result(), codec, inbox, settings.inlineTextLimit(),
                events, receipts, activity, ending);
        Upgrade u = upgrade;
        if (u != null) {
            receiver.onHints(u::hintsReceived);
            u.start();
        }
        receiver.run();
    }

    /** What the handshake agreed, and the link the channel runs on from then on. */
    private record Agreed(Handshake.Result result, FrameLink link) {
    }

    /** Runs the handshake within its deadline and, when it succeeds, connects and reports it. */
    private Optional<Agreed> handshake(FrameLink link) {
        Future<?> deadline = timers.deadline(settings.handshakeTimeout(), () -> ending.end(EndReason.HANDSHAKE_FAILED,
                "no handshake within " + Details.of(settings.handshakeTimeout())));
        Handshake.Result agreed;
        try {
            agreed = Handshake.run(link, role, code, settings, codec, upgrades.offered());
        } catch (Handshake.FailedException e) {
            ending.end(EndReason.HANDSHAKE_FAILED, e.getMessage());
            return Optional.empty();
        }
        deadline.cancel(false);
        // The verifier is known before the channel counts as connected; connect() checks the ending again.
        if (!ending.isOver()) {
            verifier = agreed.verifier();
        }
        FrameLink carrier = link;
        if (agreed.upgrade() != null) {
            carrier = upgradeOver(link, agreed.upgrade());
            if (!connection.attach(carrier)) {
                agreed.session().close();
                return Optional.empty();
            }
        }
        if (!connection.connect(agreed.session(), agreed.features())) {
            return Optional.empty();
        }
        activity.touch();
        if (agreed.features().contains(Feature.PING)) {
            timers.startKeepalives(settings.inactivityTimeout(), carrier.idleLimit(), connection, activity);
        }
        events.emit(new ChannelEvent.Connected(agreed.verifier(), agreed.features(), agreed.peerName(),
                agreed.upgrade() != null));
        return Optional.of(new Agreed(agreed, carrier));
    }

    /** Both ends offered the upgrade: the frames go through a {@link PathLink}, and an {@link Upgrade} tries. */
    private FrameLink upgradeOver(FrameLink relay, wormhole.api.spi.ResumeKeys keys) {
        PathObserver observer = (path, detail) -> events.emit(new ChannelEvent.PathChanged(path, detail));
        PathLink path = new PathLink(relay, settings.threads(), observer);
        pathLink = path;
        UpgradeProof proof;
        try (keys) {
            byte[] ours = role == Role.HOST ? keys.hostKey() : keys.peerKey();
            byte[] theirs = role == Role.HOST ? keys.peerKey() : keys.hostKey();
            proof = new UpgradeProof(ours, theirs, settings.random());
            java.util.Arrays.fill(ours, (byte) 0);
            java.util.Arrays.fill(theirs, (byte) 0);
        }
        upgrade = new Upgrade(role, upgrades, proof, path, connection,
                new wormhole.api.spi.LinkSettings(settings.connectTimeout(), (e, d) -> { }, Duration.ZERO, settings.threads()),
                timers, observer);
        return path;
    }

    @Override
    public void sendText(String text) throws WormholeException {
        sendText(text, Duration.ZERO);
    }

    @Override
    public Delivery sendText(String text, Duration ackTimeout) throws WormholeException {
        return sender.sendText(text, ackTimeout);
    }

    @Override
    public void sendFile(Path file, String name) throws WormholeException {
        sendFile(file, name, Duration.ZERO);
    }

    @Override
    public Delivery sendFile(Path file, String name, Duration ackTimeout) throws WormholeException {
        return sender.sendFile(file, name, ackTimeout);
    }

    @Override
    public Delivery sendStream(InputStream in, String name, Duration ackTimeout) throws WormholeException {
        return sender.sendStream(in, name, ackTimeout);
    }

    @Override
    public void close() {
        leave(EndReason.CLOSED, "closed by this end");
    }

    /** Says goodbye where the peer supports it, then ends for {@code reason}; a caller's or the timer thread. */
    private void leave(EndReason reason, String detail) {
        if (ending.isOver()) {
            return;
        }
        ending.leaving(reason);
        if (connection.isConnected() && connection.shares(Feature.CLOSE)) {
            try {
                connection.send(new Message.Close(), true);
                PathLink p = pathLink;
                if (p != null) {
                    p.goodbye();
                }
            } catch (WormholeException e) {
                // the link is already gone; the ending below still reports why we left
            }
        }
        ending.end(reason, detail);
    }

    /** What ending does, once, on whichever thread ended the channel; the listener hears it last. */
    private void teardown(ChannelEvent.Ended event) {
        Upgrade u = upgrade;
        if (u != null) {
            u.close();
        }
        connection.close();
        if (hosted != null) {
            ProviderCalls.close(hosted);
        }
        timers.stop();
        receipts.close(event);
        events.last(event);
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
        return connection.isConnected();
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
    public void linkEvent(LinkEvent event, String detail) {
        events.emit(new ChannelEvent.Link(event, detail));
    }

    /** @return the features both ends support, once connected */
    public Set<Feature> sharedFeatures() {
        return connection.features();
    }

    @Override
    public Optional<ChannelEvent.Ended> awaitEnd(Duration timeout) throws InterruptedException {
        return ending.await(timeout);
    }
}
