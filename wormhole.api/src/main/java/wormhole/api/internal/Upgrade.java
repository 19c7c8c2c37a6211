package wormhole.api.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import wormhole.api.Role;
import wormhole.api.WormholeException;
import wormhole.api.spi.DirectPaths;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.LinkSettings;
import wormhole.api.spi.Threads;

/**
 * One attempt to move a channel from its relay to a direct connection (feature {@code upgrade},
 * docs/PROTOCOL.md 3.3): listens, sends this end's hints inside the channel, dials every hint of the
 * other end at once while accepting, proves each connection with {@link UpgradeProof}, and hands the
 * first one the host selects to the {@link PathLink}. Everything else is closed; when the window
 * passes first, the listener closes and the channel stays on the relay. The channel's messages never
 * wait for any of this: it runs on threads of its own.
 */
final class Upgrade {
    /** At most this many connections are dialed or proven at once; more are refused. */
    static final int MAX_PENDING = 16;

    private final Role role;
    private final UpgradeSettings config;
    private final DirectPaths paths;
    private final UpgradeProof proof;
    private final PathLink path;
    private final SealedLink connection;
    private final LinkSettings link;
    private final Timers timers;
    private final PathObserver observer;
    private final Set<FrameLink> pending = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private DirectPaths.Listener listener; // guarded by lock
    private boolean over; // guarded by lock
    private Future<?> deadline;

    Upgrade(Role role, UpgradeSettings config, UpgradeProof proof, PathLink path, SealedLink connection,
            LinkSettings link, Timers timers, PathObserver observer) {
        this.role = role;
        this.config = config;
        this.paths = config.paths().orElseThrow();
        this.proof = proof;
        this.path = path;
        this.connection = connection;
        this.link = link;
        this.timers = timers;
        this.observer = observer;
    }

    /** Starts listening and sends the hints; the window starts now. */
    void start() {
        deadline = timers.deadline(config.window(), () -> giveUp("no direct connection within " + Details.of(config.window())));
        Threads.start(link.threads(), "wormhole-upgrade-listen", this::listen);
    }

    private void listen() {
        List<String> hints = List.of();
        try {
            DirectPaths.Listener l = paths.listen(config.port(), link);
            synchronized (lock) {
                if (over) {
                    l.close();
                    return;
                }
                listener = l;
            }
            hints = config.advertise().isEmpty() ? l.hints() : config.advertise();
        } catch (IOException | RuntimeException e) {
            // no listener: the other end may still reach nothing, but this end can dial
        }
        try {
            connection.send(new Message.DirectHints(hints.subList(0, Math.min(hints.size(), Message.DirectHints.MAX_HINTS))), false);
        } catch (WormholeException e) {
            giveUp("the channel ended");
            return;
        }
        DirectPaths.Listener l;
        synchronized (lock) {
            l = listener;
        }
        while (l != null && !isOver()) {
            FrameLink accepted;
            try {
                accepted = l.accept();
            } catch (IOException | RuntimeException e) {
                return;
            }
            if (!hold(accepted)) {
                continue;
            }
            Threads.start(link.threads(), "wormhole-upgrade-answer", () -> prove(accepted, false));
        }
    }

    /** The other end's hints arrived (on the channel thread): dial each on a thread of its own. */
    void hintsReceived(List<String> hints) {
        for (String hint : hints) {
            if (isOver()) {
                return;
            }
            Threads.start(link.threads(), "wormhole-upgrade-dial", () -> {
                FrameLink dialed;
                try {
                    dialed = paths.dial(hint, config.window(), link);
                } catch (IOException | RuntimeException e) {
                    return;
                }
                if (hold(dialed)) {
                    prove(dialed, true);
                }
            });
        }
    }

    /** Proves a connection (as dialer or listener), then the host selects it, or the peer waits to be selected. */
    private void prove(FrameLink candidate, boolean dialed) {
        try {
            if (dialed) {
                proof.dial(candidate);
            } else {
                proof.answer(candidate);
            }
            if (role == Role.HOST) {
                synchronized (lock) {
                    if (over) {
                        throw new IOException("too late");
                    }
                    candidate.send(UpgradeProof.SELECT.clone());
                    take(candidate);
                }
            } else {
                byte[] select = candidate.receive();
                if (!java.util.Arrays.equals(select, UpgradeProof.SELECT)) {
                    throw new IOException("not a selection");
                }
                synchronized (lock) {
                    if (over) {
                        throw new IOException("too late");
                    }
                    take(candidate);
                }
            }
        } catch (IOException | RuntimeException e) {
            pending.remove(candidate);
            candidate.close();
        }
    }

    /** The chosen connection: the path link takes it and the attempt ends; guarded by lock. */
    private void take(FrameLink chosen) {
        pending.remove(chosen);
        end();
        path.takeDirect(chosen);
    }

    private boolean hold(FrameLink candidate) {
        synchronized (lock) {
            if (over || pending.size() >= MAX_PENDING) {
                candidate.close();
                return false;
            }
            pending.add(candidate);
            return true;
        }
    }

    private boolean isOver() {
        synchronized (lock) {
            return over;
        }
    }

    /** The window passed (or the channel ended): stop, and say that the channel stays on the relay. */
    private void giveUp(String why) {
        synchronized (lock) {
            if (over) {
                return;
            }
            end();
        }
        observer.pathChanged("relay", "stays on the relay: " + why);
    }

    /** Ends the attempt: closes the listener and every connection not chosen; guarded by lock. */
    private void end() {
        over = true;
        if (deadline != null) {
            deadline.cancel(false);
        }
        if (listener != null) {
            listener.close();
        }
        List<FrameLink> left = new ArrayList<>(pending);
        pending.clear();
        left.forEach(FrameLink::close);
        proof.wipe();
    }

    /** Part of the channel's ending: stops the attempt without a word. */
    void close() {
        synchronized (lock) {
            if (!over) {
                end();
            }
        }
    }
}
