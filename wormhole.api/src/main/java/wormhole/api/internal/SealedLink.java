package wormhole.api.internal;

import java.io.IOException;
import java.util.Set;
import wormhole.api.EndReason;
import wormhole.api.Feature;
import wormhole.api.WormholeException;
import wormhole.api.WormholeException.Failure;
import wormhole.api.spi.FrameLink;
import wormhole.crypto.CryptoException;
import wormhole.crypto.FrameSession;

/**
 * The link and, once the handshake is done, the session and the features both ends share. Every frame
 * goes out sealed and written under one lock, whatever thread sends it (callers' threads send items,
 * the timer thread pings, the receipts thread acks); a frame that cannot go out ends the channel.
 * The channel thread attaches the link and connects; the ending closes the link and wipes the keys
 * under the same lock, so no frame is ever sealed with a closed session.
 */
final class SealedLink {
    private final MessageCodec codec;
    private final Activity activity;
    private final Ending ending;
    private final Object sendLock = new Object();
    private volatile FrameLink link;
    /** Guarded by {@link #sendLock}. */
    private FrameSession session;
    private volatile Set<Feature> shared = Set.of();
    private volatile boolean connected;

    SealedLink(MessageCodec codec, Activity activity, Ending ending) {
        this.codec = codec;
        this.activity = activity;
        this.ending = ending;
    }

    /**
     * Takes the link as soon as it is open, so that an ending closes it.
     *
     * @return false when the channel ended meanwhile (the link is then closed)
     */
    boolean attach(FrameLink opened) {
        link = opened;
        if (ending.isOver()) {
            opened.close();
            return false;
        }
        return true;
    }

    /**
     * Starts sending with the handshake's session.
     *
     * @param agreed   the session, owned by this connection from now on
     * @param features the features both ends support
     * @return false when the channel ended meanwhile (the session is then wiped)
     */
    boolean connect(FrameSession agreed, Set<Feature> features) {
        shared = Set.copyOf(features);
        synchronized (sendLock) {
            if (ending.isOver()) {
                agreed.close();
                return false;
            }
            session = agreed;
            connected = true;
            return true;
        }
    }

    /** @return whether the handshake succeeded and the channel has not ended */
    boolean isConnected() {
        return connected;
    }

    /** @return the features both ends support, once connected */
    Set<Feature> features() {
        return shared;
    }

    /** @return whether both ends support {@code feature} */
    boolean shares(Feature feature) {
        return shared.contains(feature);
    }

    /** @return the largest frame the link takes (the protocol's limit before there is a link) */
    int maxFrameSize() {
        FrameLink l = link;
        return l == null ? FrameLink.MAX_FRAME_SIZE : l.maxFrameSize();
    }

    /**
     * @param message the message
     * @param item    whether it is a real item that resets the inactivity clock (not a ping or a receipt)
     */
    void send(Message message, boolean item) throws WormholeException {
        byte[] plain = codec.encode(message);
        sendFrame(plain, plain.length, item);
    }

    /**
     * Seals and sends one frame under the send lock.
     *
     * @param plain  the plaintext buffer
     * @param length the frame's plaintext length
     * @param item   whether it resets this end's inactivity clock (not for pings and receipts)
     */
    void sendFrame(byte[] plain, int length, boolean item) throws WormholeException {
        synchronized (sendLock) {
            if (ending.isOver()) {
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
                ending.end(EndReason.ERROR, e.getMessage());
                throw new WormholeException(Failure.CLOSED, e.getMessage(), e);
            } catch (IOException e) {
                ending.end(EndReason.DISCONNECTED, Details.of(e));
                throw new WormholeException(Failure.PEER_GONE, "the peer is gone: " + Details.of(e), e);
            }
            activity.sent(item);
        }
    }

    /** Part of the ending: stops sending, closes the link and wipes the keys. */
    void close() {
        connected = false;
        FrameLink l = link;
        if (l != null) {
            l.close();
        }
        synchronized (sendLock) {
            FrameSession s = session;
            if (s != null) {
                s.close();
            }
        }
    }
}
