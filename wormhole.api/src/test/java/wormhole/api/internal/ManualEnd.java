package wormhole.api.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import wormhole.api.ChannelCode;
import wormhole.api.spi.FrameLink;
import wormhole.crypto.CryptoException;
import wormhole.crypto.FrameSession;
import wormhole.crypto.SharedSecret;
import wormhole.crypto.Side;
import wormhole.crypto.Spake2;

/**
 * The other end of a channel, driven by hand with the crypto module's public API, so that a test can
 * send exactly the frames it wants (garbage, tampered, replayed, oversized) to a real engine.
 */
final class ManualEnd {
    private final FrameLink raw;
    private final Side side;
    private final ChannelCode code;
    private FrameSession session;

    ManualEnd(FrameLink link, Side side, ChannelCode code) {
        this.raw = link;
        this.side = side;
        this.code = code;
    }

    /** Sends our SPAKE2 message and finishes with theirs; returns nothing encrypted yet. */
    void keyExchange() throws IOException, CryptoException {
        Spake2 spake = Spake2.start(side, code.password(), new SecureRandom());
        raw.send(spake.outboundMessage());
        try (SharedSecret secret = spake.finish(raw.receive())) {
            session = secret.sessionFor(side);
        }
    }

    /**
     * The whole handshake as a Python 0.1.x end does it: key exchange, then our version message,
     * then theirs.
     *
     * @param versionJson our version message
     * @return the engine's version message
     */
    String handshake(String versionJson) throws IOException, CryptoException {
        keyExchange();
        send(versionJson);
        return receive();
    }

    /** The handshake of a Python 0.1.x end, which offers no features. */
    String handshake() throws IOException, CryptoException {
        String role = side == Side.HOST ? "host" : "peer";
        return handshake("{\"version\": 1, \"role\": \"" + role + "\"}");
    }

    byte[] seal(String json) throws CryptoException {
        return session.seal(json.getBytes(StandardCharsets.UTF_8));
    }

    void send(String json) throws IOException, CryptoException {
        raw.send(seal(json));
    }

    /** Seals and sends a binary plaintext, such as a chunk frame. */
    void sendPlain(byte[] plaintext) throws IOException, CryptoException {
        raw.send(session.seal(plaintext));
    }

    /** Seals a binary plaintext without sending it (to tamper with or drop). */
    byte[] sealPlain(byte[] plaintext) throws CryptoException {
        return session.seal(plaintext);
    }

    void sendRaw(byte[] frame) throws IOException {
        raw.send(frame);
    }

    String receive() throws IOException, CryptoException {
        return new String(session.open(raw.receive()), StandardCharsets.UTF_8);
    }

    void close() {
        raw.close();
    }
}
