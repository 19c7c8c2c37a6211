package wormhole.transport.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import wormhole.api.spi.TransportProvider;

class ProviderDiscoveryTest {
    @Test
    void serviceLoaderFindsTheProviderThroughTheModuleDescriptor() {
        Module module = ProviderDiscoveryTest.class.getModule();
        assertTrue(module.isNamed(), "tests must run patched into the named module");
        // The module declares no `uses`; a module may add one to itself at run time, which keeps the
        // descriptor as shipped while letting ServiceLoader read its `provides` clause.
        module.addUses(TransportProvider.class);

        List<TransportProvider> direct = ServiceLoader.load(TransportProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.getClass() == DirectTransportProvider.class)
                .collect(Collectors.toList());

        assertEquals(1, direct.size());
        assertEquals("direct", direct.get(0).name());
    }

    @Test
    void supportsOnlyTheTcpScheme() {
        DirectTransportProvider provider = new DirectTransportProvider();
        assertTrue(provider.supports(URI.create("tcp://127.0.0.1:4242")));
        assertTrue(provider.supports(URI.create("TCP://[::1]:4242")));
        assertFalse(provider.supports(URI.create("ws://relay.example:4747")));
        assertFalse(provider.supports(URI.create("4242-apple-banana-cherry")));
    }

    @Test
    void onlyTheProviderIsPublic() {
        for (Class<?> type : List.of(TcpAddress.class, SocketTimeouts.class, FrameReader.class,
                SocketFrameLink.class, DirectHostedLink.class)) {
            assertFalse(java.lang.reflect.Modifier.isPublic(type.getModifiers()), type.getName());
        }
        assertTrue(java.lang.reflect.Modifier.isPublic(DirectTransportProvider.class.getModifiers()));
    }
}
