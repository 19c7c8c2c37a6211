package wormhole.api;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * One single-use, end-to-end encrypted channel between two ends. It reports what arrives through its
 * {@link ChannelListener}; sending blocks until the item is encrypted and handed to the transport,
 * and, with a receipt time-out, until the peer confirms it (where both ends support {@code ack}).
 * Made by {@link Wormhole#host} or {@link Wormhole#connect}.
 */
public interface Channel extends AutoCloseable {
    /** @return the channel code (a secret: show it only to the person or agent that shares it) */
    ChannelCode code();

    /** @return which end this is */
    Role role();

    /** @return whether the handshake has succeeded and the channel has not ended */
    boolean isConnected();

    /** @return the verifier string once connected */
    Optional<String> verifier();

    /**
     * Sends text.
     *
     * @param text the text
     * @throws WormholeException when not connected, too large, or the link broke
     */
    void sendText(String text) throws WormholeException;

    /**
     * Sends text and waits for the peer's receipt.
     *
     * @param text       the text
     * @param ackTimeout how long to wait for the receipt once the text is sent; zero returns at once
     * @return whether the peer confirmed it, or it was only handed off (zero time-out, or a peer without {@code ack})
     * @throws WormholeException as {@link #sendText(String)}, or {@code ACK_TIMEOUT}, or {@code REFUSED}
     */
    Delivery sendText(String text, Duration ackTimeout) throws WormholeException;

    /**
     * Sends a file (or, where both ends support {@code stream}, a directory) under the given name.
     *
     * @param file the file or directory to read
     * @param name the name the peer sees (reduced by the peer to a safe base name)
     * @throws WormholeException when not connected, unreadable, too large for the peer, or the link broke
     */
    void sendFile(Path file, String name) throws WormholeException;

    /**
     * Sends a file or directory and waits for the peer's receipt. With the {@code stream} feature a
     * file of any size goes in chunks in constant memory, and a directory as one archive.
     *
     * @param file       the file or directory to read
     * @param name       the name the peer sees
     * @param ackTimeout how long to wait for the receipt once the last byte is sent; zero returns at once
     * @return whether the peer confirmed it or it was only handed off
     * @throws WormholeException as {@link #sendFile(Path, String)}, or {@code ACK_TIMEOUT}, {@code REFUSED},
     *                           {@code UNSUPPORTED} (a directory to a peer without {@code stream})
     */
    Delivery sendFile(Path file, String name, Duration ackTimeout) throws WormholeException;

    /**
     * Streams input of unknown length to the peer as a file, in constant memory; needs {@code stream}.
     * The caller closes {@code in}.
     *
     * @param in         the input, read to its end
     * @param name       the name the peer sees
     * @param ackTimeout how long to wait for the receipt once the last byte is sent; zero returns at once
     * @return whether the peer confirmed it or it was only handed off
     * @throws WormholeException {@code UNSUPPORTED} without {@code stream}, {@code UNREADABLE} when the
     *                           input fails, or as {@link #sendFile(Path, String, Duration)}
     */
    Delivery sendStream(InputStream in, String name, Duration ackTimeout) throws WormholeException;

    /**
     * Waits for the channel to end.
     *
     * @param timeout how long to wait
     * @return the final event, or empty if it did not end in time
     * @throws InterruptedException when interrupted
     */
    Optional<ChannelEvent.Ended> awaitEnd(Duration timeout) throws InterruptedException;

    /** Closes the channel: says goodbye where the peer supports it, then ends. Idempotent. */
    @Override
    void close();
}
