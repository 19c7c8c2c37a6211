package wormhole.api.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import wormhole.api.EndReason;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.ResumableLink;
import wormhole.api.spi.ResumeKeys;
import wormhole.api.spi.UpgradeCarrier;

/**
 * A provider's link as the engine uses it. The SPI allows a link only {@link IOException}s; an
 * unchecked exception from the provider (a fault in the transport, not in the engine) ends the channel
 * as {@link EndReason#CONNECTION_FAILED}, closing the link, and then reaches the engine as an
 * {@link IOException} so every caller handles it as a broken link. A failing {@link #close()} is
 * swallowed, so the ending still reports. It always presents itself as a {@link ResumableLink} and an
 * {@link UpgradeCarrier}, and offers each only when the provider's link does.
 */
final class GuardedLink implements ResumableLink, UpgradeCarrier {
    private final FrameLink link;
    private final Ending ending;

    GuardedLink(FrameLink link, Ending ending) {
        this.link = link;
        this.ending = ending;
    }

    @Override
    public void send(byte[] frame) throws IOException {
        try {
            link.send(frame);
        } catch (RuntimeException e) {
            throw fault("send", e);
        }
    }

    @Override
    public void send(byte[] head, byte[] body) throws IOException {
        try {
            link.send(head, body);
        } catch (RuntimeException e) {
            throw fault("send", e);
        }
    }

    @Override
    public byte[] receive() throws IOException {
        byte[] frame;
        try {
            frame = link.receive();
        } catch (RuntimeException e) {
            throw fault("receive", e);
        }
        if (frame == null) {
            throw fault("receive", new NullPointerException("receive returned null"));
        }
        return frame;
    }

    @Override
    public int maxFrameSize() {
        try {
            return link.maxFrameSize();
        } catch (RuntimeException e) {
            fault("maxFrameSize", e);
            return FrameLink.MAX_FRAME_SIZE;
        }
    }

    @Override
    public Optional<Duration> idleLimit() {
        try {
            Optional<Duration> limit = link.idleLimit();
            return limit == null ? Optional.empty() : limit;
        } catch (RuntimeException e) {
            fault("idleLimit", e);
            return Optional.empty();
        }
    }

    @Override
    public boolean offersResume() {
        try {
            return link instanceof ResumableLink r && r.offersResume();
        } catch (RuntimeException e) {
            fault("offersResume", e);
            return false;
        }
    }

    @Override
    public boolean carriesUpgrade() {
        try {
            return link instanceof UpgradeCarrier c && c.carriesUpgrade();
        } catch (RuntimeException e) {
            fault("carriesUpgrade", e);
            return false;
        }
    }

    @Override
    public void resumeAgreed(ResumeKeys keys) {
        try {
            ((ResumableLink) link).resumeAgreed(keys);
        } catch (RuntimeException e) {
            keys.close();
            fault("resumeAgreed", e);
        }
    }

    @Override
    public void resumeDeclined() {
        try {
            ((ResumableLink) link).resumeDeclined();
        } catch (RuntimeException e) {
            fault("resumeDeclined", e);
        }
    }

    @Override
    public void close() {
        try {
            link.close();
        } catch (RuntimeException e) {
            // a link that fails to close is the provider's fault; the ending goes on
        }
    }

    /** Ends the channel for a provider's unchecked exception and returns it as the link failure it is. */
    private IOException fault(String call, RuntimeException e) {
        String detail = ProviderCalls.describe(call, e);
        ending.end(EndReason.CONNECTION_FAILED, detail);
        close();
        return new IOException(detail, e);
    }
}
