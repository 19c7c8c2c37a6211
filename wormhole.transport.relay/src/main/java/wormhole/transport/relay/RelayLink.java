package wormhole.transport.relay;

import java.io.IOException;
import wormhole.api.spi.FrameLink;

/** A paired relay channel as a {@link FrameLink}. */
final class RelayLink implements FrameLink {
    private final Session session;

    RelayLink(Session session) {
        this.session = session;
    }

    @Override
    public void send(byte[] frame) throws IOException {
        session.send(frame);
    }

    @Override
    public byte[] receive() throws IOException {
        return session.receive();
    }

    @Override
    public int maxFrameSize() {
        return session.maxFrameSize();
    }

    @Override
    public java.util.Optional<java.time.Duration> idleLimit() {
        return java.util.Optional.of(session.idleLimit());
    }

    @Override
    public void close() {
        session.close();
    }
}
