package wormhole.shell.interactive;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import wormhole.api.Channel;
import wormhole.api.ChannelListener;
import wormhole.api.Role;

/**
 * A channel that lives inside this process (the shell's, the MCP server's): its role and mode, its
 * private folder, its state, and how it is put away: a goodbye to the peer, a short wait for the end,
 * and its folder deleted exactly once, whichever of the closing call or the channel's own end gets
 * there first. Subclasses listen to its events.
 */
public abstract class LocalChannel implements ChannelListener {
    private final Role role;
    private final String mode;
    private final ShellSupport.Folder folder;
    private final Consumer<IOException> onDeleteFailure;
    private final AtomicBoolean deleted = new AtomicBoolean();
    private volatile Channel channel;
    private volatile String state;

    /**
     * @param role            which end this is
     * @param mode            {@code direct} or {@code relay}
     * @param folder          the channel's private folder
     * @param state           the state before any event
     * @param onDeleteFailure told when the folder could not be deleted (say so; never the code)
     */
    protected LocalChannel(Role role, String mode, ShellSupport.Folder folder, String state, Consumer<IOException> onDeleteFailure) {
        this.role = role;
        this.mode = mode;
        this.folder = folder;
        this.state = state;
        this.onDeleteFailure = onDeleteFailure;
    }

    /** Records the channel once it opened. */
    protected void opened(Channel opened) {
        this.channel = opened;
    }

    /** Records a new state. */
    protected void state(String now) {
        this.state = now;
    }

    /** @return which end this is */
    public Role role() {
        return role;
    }

    /** @return {@code direct} or {@code relay} */
    public String mode() {
        return mode;
    }

    /** @return where received files and long texts are saved */
    public Path inbox() {
        return folder.inbox();
    }

    /** @return the channel, or null while it is being opened */
    public Channel channel() {
        return channel;
    }

    /** @return the state, as this channel's owner names it */
    public String state() {
        return state;
    }

    /**
     * Closes the channel (when there is one yet), waits up to {@code limit} for it to end, then
     * deletes the folder.
     */
    public void closeAndWait(Duration limit) {
        Channel c = channel;
        if (c != null) {
            c.close();
            try {
                c.awaitEnd(limit);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deleteFolder();
    }

    /** Deletes the folder once; a second caller waits until the first is done. */
    public synchronized void deleteFolder() {
        if (deleted.compareAndSet(false, true)) {
            try {
                folder.delete();
            } catch (IOException e) {
                onDeleteFailure.accept(e);
            }
        }
    }

    /**
     * Closes every channel first, so that the goodbyes go out together, then waits up to
     * {@code limit} for each to end and deletes its folder.
     */
    public static void closeAll(List<? extends LocalChannel> all, Duration limit) {
        for (LocalChannel lc : all) {
            Channel c = lc.channel();
            if (c != null) {
                c.close();
            }
        }
        for (LocalChannel lc : all) {
            lc.closeAndWait(limit);
        }
    }
}
