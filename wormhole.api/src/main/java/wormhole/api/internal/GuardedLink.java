package wormhole.api.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
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
        guarded("send", () -> {
            link.send(frame);
            return null;
        });
    }

    @Override
    public void send(byte[] head, byte[] body) throws IOException {
        guarded("send", () -> {
            link.send(head, body);
            return null;
        });
    }

    @Override
    public byte[] receive() throws IOException {
        byte[] frame = guarded("receive", link::receive);
        if (frame == null) {
            throw fault("receive", new NullPointerException("receive returned null"));
        }
        return frame;
    }

    @Override
    public int maxFrameSize() {
        return orElse("maxFrameSize", link::maxFrameSize, FrameLink.MAX_FRAME_SIZE);
    }

    @Override
    public Optional<Duration> idleLimit() {
        Optional<Duration> limit = orElse("idleLimit", link::idleLimit, Optional.empty());
        return limit == null ? Optional.empty() : limit;
    }

    @Override
    public boolean offersResume() {
        return orElse("offersResume", () -> link instanceof ResumableLink r && r.offersResume(), false);
    }

    @Override
    public boolean carriesUpgrade() {
        return orElse("carriesUpgrade", () -> link instanceof UpgradeCarrier c && c.carriesUpgrade(), false);
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

    /** A call into the provider that may fail as the SPI allows. */
    private interface ProviderCall<T> {
        T call() throws IOException;
    }

    /** Makes a call whose unchecked exception is a fault that breaks the link. */
    private <T> T guarded(String name, ProviderCall<T> call) throws IOException {
        try {
            return call.call();
        } catch (RuntimeException e) {
            throw fault(name, e);
        }
    }

    /** Makes a query whose unchecked exception is a fault; the caller goes on with the fallback. */
    private <T> T orElse(String name, Supplier<T> query, T fallback) {
        try {
            return query.get();
        } catch (RuntimeException e) {
            fault(name, e);
            return fallback;
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
