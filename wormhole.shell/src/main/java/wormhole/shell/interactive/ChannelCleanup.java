package wormhole.shell.interactive;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import wormhole.api.Channel;

/**
 * How a channel that lives inside this process (the shell's, the MCP server's) is put away: a
 * goodbye to the peer, a short wait for the end, and its private folder deleted exactly once,
 * whichever of the closing call or the channel's own end gets there first.
 */
public final class ChannelCleanup {
    /** A channel of this process with its cleanup. */
    public interface Held {
        /** @return the channel, or null while it is being opened */
        Channel channel();

        /** @return how it is put away */
        ChannelCleanup cleanup();
    }

    private final ShellSupport.Folder folder;
    private final Consumer<IOException> onDeleteFailure;
    private final AtomicBoolean deleted = new AtomicBoolean();

    /**
     * @param folder          the channel's private folder
     * @param onDeleteFailure told when the folder could not be deleted (say so; never the code)
     */
    public ChannelCleanup(ShellSupport.Folder folder, Consumer<IOException> onDeleteFailure) {
        this.folder = folder;
        this.onDeleteFailure = onDeleteFailure;
    }

    /**
     * Closes {@code channel} (when there is one yet), waits up to {@code limit} for it to end, then
     * deletes the folder.
     */
    public void closeAndWait(Channel channel, Duration limit) {
        if (channel != null) {
            channel.close();
            try {
                channel.awaitEnd(limit);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deleteFolder();
    }

    /**
     * Closes every channel first, so that the goodbyes go out together, then waits up to
     * {@code limit} for each to end and deletes its folder.
     */
    public static void closeAll(List<? extends Held> all, Duration limit) {
        for (Held h : all) {
            Channel c = h.channel();
            if (c != null) {
                c.close();
            }
        }
        for (Held h : all) {
            h.cleanup().closeAndWait(h.channel(), limit);
        }
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
}
