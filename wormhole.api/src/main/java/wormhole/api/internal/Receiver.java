package wormhole.api.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import wormhole.api.ChannelEvent;
import wormhole.api.EndReason;
import wormhole.api.Feature;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.FrameTooLargeException;
import wormhole.crypto.CryptoException;
import wormhole.crypto.FrameSession;

/**
 * The read loop, on the channel thread alone: decrypts each frame, turns it into events and saved
 * files, settles receipts, and answers with this end's own. A frame that fails to decrypt or parse,
 * a stream that does not add up, or a disk that refuses ends the channel; whatever stream was half
 * received is deleted first.
 */
final class Receiver {
    private final FrameLink link;
    private final FrameSession session;
    private final MessageCodec codec;
    private final SaveFolder inbox;
    private final int inlineTextLimit;
    private final EventSink events;
    private final Receipts receipts;
    private final Activity activity;
    private final Ending ending;
    /** Whether streams carry a SHA-256 (the ends do not share {@link Feature#UNHASHED_STREAM}). */
    private final boolean hashedStreams;
    /** The stream being received, if any. */
    private IncomingStream incoming;
    /** Where the other end's direct hints go (feature {@code upgrade}); ignored without it. */
    private java.util.function.Consumer<java.util.List<String>> hints = h -> { };

    Receiver(FrameLink link, Handshake.Result agreed, MessageCodec codec, SaveFolder inbox, int inlineTextLimit,
            EventSink events, Receipts receipts, Activity activity, Ending ending) {
        this.link = link;
        this.session = agreed.session();
        this.hashedStreams = !agreed.features().contains(Feature.UNHASHED_STREAM);
        this.codec = codec;
        this.inbox = inbox;
        this.inlineTextLimit = inlineTextLimit;
        this.events = events;
        this.receipts = receipts;
        this.activity = activity;
        this.ending = ending;
    }

    /** @param to where the other end's direct hints go */
    Receiver onHints(java.util.function.Consumer<java.util.List<String>> to) {
        this.hints = to;
        return this;
    }

    /** Reads until the channel ends. */
    void run() {
        try {
            readFrames();
        } finally {
            dropIncoming();
        }
    }

    private void readFrames() {
        while (!ending.isOver()) {
            byte[] frame;
            try {
                frame = link.receive();
            } catch (EOFException e) {
                fail(ending.dropReason(), "the peer closed the connection");
                return;
            } catch (FrameTooLargeException e) {
                fail(EndReason.ERROR, e.getMessage());
                return;
            } catch (IOException e) {
                fail(ending.dropReason(), Details.of(e));
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
                    || message instanceof Message.Unknown || message instanceof Message.Version
                    || message instanceof Message.DirectHints)) {
                activity.touch();
            }
            try {
                deliver(message);
            } catch (StreamMismatchException e) {
                fail(EndReason.ERROR, e.getMessage());
                return;
            } catch (IOException e) {
                fail(EndReason.ERROR, "could not save what arrived: " + Details.of(e));
                return;
            }
        }
    }

    /** Ends the channel; a stream half received is deleted first. */
    private void fail(EndReason reason, String detail) {
        dropIncoming();
        ending.end(reason, detail);
    }

    private void dropIncoming() {
        IncomingStream s = incoming;
        incoming = null;
        if (s != null) {
            s.discard();
        }
    }

    private void deliver(Message message) throws IOException, StreamMismatchException {
        if (message instanceof Message.Chunk c) {
            IncomingStream s = incoming;
            if (s == null || s.id() != c.id()) {
                throw new StreamMismatchException("a chunk arrived for stream " + c.id() + ", which is not open");
            }
            s.write(c.frame(), c.offset(), c.length());
            s.progress(System.nanoTime()).ifPresent(events::emit);
        } else if (message instanceof Message.Text t) {
            receiveText(t);
        } else if (message instanceof Message.File f) {
            receiveFile(f);
        } else if (message instanceof Message.StreamStart st) {
            if (incoming != null) {
                throw new StreamMismatchException("stream " + st.id() + " opened before stream " + incoming.id() + " ended");
            }
            incoming = IncomingStream.open(inbox, st, hashedStreams, System.nanoTime());
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
            receipts.settle(a);
        } else if (message instanceof Message.Nack n) {
            receipts.settle(n);
        } else if (message instanceof Message.Close) {
            ending.end(EndReason.PEER_CLOSED, "the peer closed the channel");
        } else if (message instanceof Message.DirectHints d) {
            hints.accept(d.hints());
        }
        // Ping, a repeated Version and Unknown types are ignored, as Python ignores unknown types.
    }

    /** Shows a short text inline; saves a long one to a file. */
    private void receiveText(Message.Text t) throws IOException {
        byte[] utf8 = t.body().getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= inlineTextLimit) {
            events.emit(new ChannelEvent.TextReceived(t.body()));
        } else {
            Path saved = inbox.saveText(utf8);
            events.emit(new ChannelEvent.TextSaved(saved, utf8.length));
        }
        receipts.reply(new Message.Ack(t.id()));
    }

    /** Saves a version-1 file, whole in its one message. */
    private void receiveFile(Message.File f) throws IOException {
        if (f.size() != f.content().length) {
            throw new IOException("a file arrived with " + f.content().length + " bytes but declared "
                    + f.size() + "; it was not saved");
        }
        Path saved = inbox.saveFile(f.name(), f.content());
        events.emit(new ChannelEvent.FileReceived(SafeName.of(f.name()), saved, f.content().length));
        receipts.reply(new Message.Ack(f.id()));
    }

    /** Publishes a verified stream: a file under its safe name, or a directory after checking every entry. */
    private void finishStream(IncomingStream s) throws IOException {
        if (s.kind() != StreamKind.DIRECTORY) {
            Path saved = inbox.publish(s.temp(), s.safeName());
            s.discard();
            events.emit(new ChannelEvent.FileReceived(s.safeName(), saved, s.received()));
            receipts.reply(new Message.Ack(s.id()));
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
            events.emit(new ChannelEvent.DirectoryReceived(s.safeName(), saved, unpacked.bytes(), unpacked.files()));
            receipts.reply(new Message.Ack(s.id()));
        } catch (HostileArchiveException e) {
            SaveFolder.deleteTree(unpacking);
            events.emit(new ChannelEvent.Refused(s.safeName(), e.getMessage()));
            receipts.reply(new Message.Nack(s.id(), "refused", e.getMessage()));
        } catch (IOException e) {
            SaveFolder.deleteTree(unpacking);
            throw e;
        }
    }
}
