package wormhole.shell.interactive;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import wormhole.api.Channel;
import wormhole.api.ChannelEvent;
import wormhole.api.Role;
import wormhole.shell.output.Sanitizer;

/**
 * One channel open in the shell: its number, its folder, and the listener that shows its events
 * as marked lines ({@code [1] from peer: ...}, {@code [1] * connected ...}). When the channel ends,
 * for whatever reason, its folder is deleted.
 */
final class OpenChannel extends LocalChannel {
    private final int number;
    private final ShellIo io;
    private final Consumer<OpenChannel> onEnded;
    private final List<String> early = new ArrayList<>();
    private boolean announced;

    private volatile String path;

    OpenChannel(int number, Role role, String mode, ShellSupport.Folder folder, ShellIo io, Consumer<OpenChannel> onEnded) {
        super(role, mode, folder, "connecting", e -> io.show("error: could not delete the files of channel "
                + number + ": " + Sanitizer.inline(String.valueOf(e.getMessage()))));
        this.number = number;
        this.io = io;
        this.onEnded = onEnded;
    }

    int number() {
        return number;
    }

    /** Shows the first lines of a channel, then whatever it reported meanwhile. */
    void opened(Channel c, List<String> firstLines) {
        opened(c);
        synchronized (early) {
            if (role() == Role.HOST && state().equals("connecting")) {
                state("waiting");
            }
            firstLines.forEach(l -> io.show(mark(l)));
            early.forEach(io::show);
            early.clear();
            announced = true;
        }
    }

    String mark(String text) {
        return "[" + number + "] * " + text;
    }

    void show(String line) {
        synchronized (early) {
            if (!announced) {
                early.add(line);
                return;
            }
        }
        io.show(line);
    }

    @Override
    public void onEvent(ChannelEvent event) {
        if (event instanceof ChannelEvent.Link l) {
            show(mark(switch (l.event()) {
                case WAITING -> "waiting for the peer";
                case PAIRED -> "paired; checking the code";
                case RECONNECTING -> "the link dropped; reconnecting";
                case RECONNECTED -> "reconnected; nothing was lost";
                case PEER_DISCONNECTED -> "the peer dropped; it may come back";
            } + detail(l.detail())));
        } else if (event instanceof ChannelEvent.Connected c) {
            state("connected");
            String peer = c.peerName().isEmpty() ? "the peer" : Sanitizer.inline(c.peerName());
            show(mark("connected to " + peer + "; verifier " + c.verifier() + " (the peer sees the same)"));
        } else if (event instanceof ChannelEvent.TextReceived t) {
            for (String line : Sanitizer.lines(t.body())) {
                show("[" + number + "] from peer: " + line);
            }
        } else if (event instanceof ChannelEvent.TextSaved t) {
            show("[" + number + "] from peer: long text (" + t.size() + " bytes) saved to " + Sanitizer.inline(t.savedTo().toString()));
        } else if (event instanceof ChannelEvent.FileReceived f) {
            show("[" + number + "] from peer: file " + Sanitizer.inline(f.name()) + " (" + f.size() + " bytes) saved to "
                    + Sanitizer.inline(f.savedTo().toString()));
        } else if (event instanceof ChannelEvent.DirectoryReceived d) {
            show("[" + number + "] from peer: folder " + Sanitizer.inline(d.name()) + " (" + d.files() + " files, "
                    + d.size() + " bytes) saved to " + Sanitizer.inline(d.savedTo().toString()));
        } else if (event instanceof ChannelEvent.Progress p) {
            show("[" + number + "] receiving " + Sanitizer.inline(p.name()) + " " + ProgressBar.of(p.bytes(), p.size()));
        } else if (event instanceof ChannelEvent.PathChanged p) {
            path = p.path();
            show(mark(p.path().equals("direct") ? "now direct: the frames go straight to the peer"
                    : "on the relay" + detail(p.detail())));
        } else if (event instanceof ChannelEvent.Refused r) {
            show("[" + number + "] refused from peer: " + Sanitizer.inline(r.name()) + ": " + Sanitizer.inline(r.detail())
                    + "; nothing of it was kept");
        } else if (event instanceof ChannelEvent.Ended e) {
            state("ended");
            deleteFolder();
            show(mark(ending(e) + "; its files are deleted"));
            onEnded.accept(this);
        }
    }

    private static String ending(ChannelEvent.Ended e) {
        String what = switch (e.reason()) {
            case CLOSED -> "closed";
            case PEER_CLOSED -> "closed by the peer";
            case DISCONNECTED -> "disconnected: the peer is gone";
            case TIMEOUT -> "closed after the inactivity time-out";
            case HANDSHAKE_FAILED -> "handshake failed (wrong code?)";
            case CONNECTION_FAILED -> "connection failed";
            case ERROR -> "ended by an error";
        };
        return e.reason().deliberate() ? what : what + detail(e.detail());
    }

    private static String detail(String detail) {
        return detail.isEmpty() ? "" : ": " + Sanitizer.inline(detail);
    }

    String describe(boolean current) {
        Channel c = channel();
        String code = c == null ? "" : " " + c.code().text();
        String via = path == null || path.equals(mode()) ? "" : " (now " + path + ")";
        return (current ? "* " : "  ") + "[" + number + "] " + role().wireName() + " " + mode() + via + code + " "
                + state().toLowerCase(Locale.ROOT);
    }
}
