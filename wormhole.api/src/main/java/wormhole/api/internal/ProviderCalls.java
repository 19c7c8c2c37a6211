package wormhole.api.internal;

import java.io.IOException;
import java.util.regex.Pattern;
import wormhole.api.WormholeException;
import wormhole.api.WormholeException.Failure;
import wormhole.api.spi.HostedLink;
import wormhole.api.spi.TransportProvider;

/**
 * The host's first calls into a provider, made on the caller's thread of {@code Wormhole.host}, held to
 * the SPI's contract: an {@link IOException} or an unchecked exception (a transport's fault) becomes
 * {@link Failure#CONNECTION_FAILED}, and a nameplate that is not 1 to 10 digits closes the hosted link
 * before it fails the same way, so nothing the provider opened is left behind.
 */
public final class ProviderCalls {
    private static final Pattern NAMEPLATE = Pattern.compile("[0-9]{1,10}");

    private ProviderCalls() {
    }

    /** One of the provider's {@code host} methods. */
    @FunctionalInterface
    public interface HostCall {
        /**
         * @return the waiting host side
         * @throws IOException when the rendezvous cannot be reached or bound
         */
        HostedLink host() throws IOException;
    }

    /**
     * Opens the host's side.
     *
     * @param provider the provider called
     * @param call     the call
     * @param chosenId whether the call hosts under a chosen id, which a provider may refuse with
     *                 {@link UnsupportedOperationException} ({@link Failure#UNSUPPORTED})
     * @return the hosted link, never null
     * @throws WormholeException when the call failed
     */
    public static HostedLink host(TransportProvider provider, HostCall call, boolean chosenId) throws WormholeException {
        HostedLink hosted;
        try {
            hosted = call.host();
        } catch (UnsupportedOperationException e) {
            if (!chosenId) {
                throw failed(provider, describe("host", e), e);
            }
            throw new WormholeException(Failure.UNSUPPORTED, e.getMessage(), e);
        } catch (IOException e) {
            throw failed(provider, Details.of(e), e);
        } catch (RuntimeException e) {
            throw failed(provider, describe("host", e), e);
        }
        if (hosted == null) {
            throw failed(provider, "the transport's host returned no link", null);
        }
        return hosted;
    }

    /**
     * @param provider the provider that opened {@code hosted}
     * @param hosted   the hosted link; closed when this throws
     * @return its nameplate, 1 to 10 digits
     * @throws WormholeException when the nameplate is missing or malformed, or asking for it failed
     */
    public static String nameplate(TransportProvider provider, HostedLink hosted) throws WormholeException {
        String nameplate;
        try {
            nameplate = hosted.nameplate();
        } catch (RuntimeException e) {
            close(hosted);
            throw failed(provider, describe("nameplate", e), e);
        }
        if (nameplate == null || !NAMEPLATE.matcher(nameplate).matches()) {
            close(hosted);
            throw failed(provider, "the transport gave a nameplate that is not 1 to 10 digits", null);
        }
        return nameplate;
    }

    /**
     * @param call the SPI method that threw
     * @param e    what it threw
     * @return a short detail naming the transport's fault
     */
    static String describe(String call, RuntimeException e) {
        String m = e.getMessage();
        return "the transport failed in " + call + ": " + e.getClass().getSimpleName()
                + (m == null || m.isBlank() ? "" : ": " + m);
    }

    /** Closes a provider's object, which must not throw; if it does, there is nothing more to do. */
    static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // the provider broke its contract; what it opened is out of our reach
        }
    }

    private static WormholeException failed(TransportProvider provider, String detail, Exception cause) {
        return new WormholeException(Failure.CONNECTION_FAILED, provider.name() + ": " + detail, cause);
    }
}
