package wormhole.api;

import java.nio.file.Path;
import java.util.Set;
import wormhole.api.spi.LinkEvent;

/** What a channel reports to its listener, in order, on the channel's own thread. */
public sealed interface ChannelEvent {
    /**
     * The transport's rendezvous changed state (waiting, paired, reconnecting, ...).
     *
     * @param event  what happened
     * @param detail a short detail, possibly empty
     */
    record Link(LinkEvent event, String detail) implements ChannelEvent {
    }

    /**
     * The frames changed path (feature {@code upgrade}): {@code direct} once a direct connection
     * carries them, {@code relay} when it broke and the relay carries them again, or when no direct
     * connection could be made (the detail says which).
     *
     * @param path   {@code direct} or {@code relay}
     * @param detail why, for people
     */
    record PathChanged(String path, String detail) implements ChannelEvent {
    }

    /**
     * Both ends proved they hold the same code; messages may flow.
     *
     * @param verifier     a short string both ends derive alike, to compare out of band
     * @param peerFeatures the features both ends support
     * @param peerName     the implementation the peer named, or empty (Python 0.1.x names none)
     * @param upgrade      whether both ends offered to move to a direct connection (feature
     *                     {@code upgrade}); a {@link PathChanged} follows when the attempt is decided
     */
    record Connected(String verifier, Set<Feature> peerFeatures, String peerName, boolean upgrade) implements ChannelEvent {
        /** Copies the set. */
        public Connected {
            peerFeatures = Set.copyOf(peerFeatures);
        }

        /** A channel that does not upgrade. */
        public Connected(String verifier, Set<Feature> peerFeatures, String peerName) {
            this(verifier, peerFeatures, peerName, false);
        }
    }

    /**
     * Text short enough to show inline.
     *
     * @param body the text
     */
    record TextReceived(String body) implements ChannelEvent {
    }

    /**
     * Text too long to show inline, saved to a 0600 file in the channel's folder.
     *
     * @param savedTo the file
     * @param size    its size in bytes
     */
    record TextSaved(Path savedTo, long size) implements ChannelEvent {
    }

    /**
     * A file, complete and saved under a safe name in the channel's folder.
     *
     * @param name    the name the sender gave, reduced to a safe base name
     * @param savedTo where it was saved
     * @param size    its size in bytes
     */
    record FileReceived(String name, Path savedTo, long size) implements ChannelEvent {
    }

    /**
     * A directory, sent as one archive, checked entry by entry and unpacked into a fresh folder in the
     * channel's folder.
     *
     * @param name    the name the sender gave, reduced to a safe base name
     * @param savedTo the folder
     * @param size    the bytes of all its files
     * @param files   how many files it holds
     */
    record DirectoryReceived(String name, Path savedTo, long size, int files) implements ChannelEvent {
    }

    /**
     * A large item is on its way; reported at most about once a second, never for an item that
     * arrives within the first second.
     *
     * @param name  the item's safe name
     * @param bytes how many bytes arrived so far
     * @param size  its announced size, or -1 when unknown (a directory, standard input)
     */
    record Progress(String name, long bytes, long size) implements ChannelEvent {
    }

    /**
     * An item arrived whole but was refused, and nothing of it was kept (a directory with a hostile
     * entry); the channel stays open.
     *
     * @param name   the item's safe name
     * @param detail why
     */
    record Refused(String name, String detail) implements ChannelEvent {
    }

    /**
     * The channel is over; this is always the last event.
     *
     * @param reason why
     * @param detail a human-readable detail, possibly empty; never holds the code or a payload
     */
    record Ended(EndReason reason, String detail) implements ChannelEvent {
    }
}
