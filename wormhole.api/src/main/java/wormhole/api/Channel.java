package wormhole.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * One single-use, end-to-end encrypted channel between two ends. It reports what arrives through its
 * {@link ChannelListener}; sending blocks until the item is encrypted and handed to the transport.
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
     * Sends a file under the given name.
     *
     * @param file the file to read
     * @param name the name the peer sees (reduced by the peer to a safe base name)
     * @throws WormholeException when not connected, unreadable, too large for the peer, or the link broke
     */
    void sendFile(Path file, String name) throws WormholeException;

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
