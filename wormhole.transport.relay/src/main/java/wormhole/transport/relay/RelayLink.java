package wormhole.transport.relay;

import java.io.IOException;
import wormhole.api.spi.UpgradeCarrier;

/**
 * A paired relay channel as a frame link. It carries an upgrade ({@link UpgradeCarrier}): the relay
 * is reliable (it resumes without loss), never looks inside a frame, and announces its idle limit.
 */
final class RelayLink implements UpgradeCarrier {
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
    public boolean carriesUpgrade() {
        return true;
    }

    @Override
    public void close() {
        session.close();
    }
}
