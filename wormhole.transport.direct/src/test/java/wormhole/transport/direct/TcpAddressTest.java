package wormhole.transport.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TcpAddressTest {
    @Test
    void bindAddressesKeepHostAndPort() {
        assertEquals(new TcpAddress("0.0.0.0", 0), TcpAddress.forBinding(URI.create("tcp://0.0.0.0:0")));
        assertEquals(new TcpAddress("[::]", 4242), TcpAddress.forBinding(URI.create("tcp://[::]:4242")));
        assertEquals(new TcpAddress("192.168.1.5", 0), TcpAddress.forBinding(URI.create("tcp://192.168.1.5:0")));
    }

    @Test
    void bindAddressDefaultsToAnyPortAndAllInterfaces() {
        assertEquals(new TcpAddress("127.0.0.1", 0), TcpAddress.forBinding(URI.create("tcp://127.0.0.1")));
        assertEquals(new TcpAddress("0.0.0.0", 4242), TcpAddress.forBinding(URI.create("tcp://:4242")));
    }

    @Test
    void peerAddressesTakeNamesIpv4AndBracketedIpv6() {
        assertEquals(new TcpAddress("laptop.local", 4242), TcpAddress.forConnecting(URI.create("tcp://laptop.local:4242")));
        assertEquals(new TcpAddress("10.0.0.7", 1), TcpAddress.forConnecting(URI.create("tcp://10.0.0.7:1")));
        assertEquals(new TcpAddress("[fe80::1]", 65535), TcpAddress.forConnecting(URI.create("tcp://[fe80::1]:65535")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp://host", "tcp://host:0", "tcp://:4242", "tcp://host:65536", "tcp://exa_mple:80",
        "tcp://host:80/path", "tcp://user@host:80", "tcp://host:80?q", "ws://host:80", "tcp:host"})
    void badPeerAddressesAreRefused(String uri) {
        assertThrows(IllegalArgumentException.class, () -> TcpAddress.forConnecting(URI.create(uri)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp://host:65536", "tcp://:99999", "tcp://:port", "tcp://exa_mple:80", "tcp://h:1/x"})
    void badBindAddressesAreRefused(String uri) {
        assertThrows(IllegalArgumentException.class, () -> TcpAddress.forBinding(URI.create(uri)));
    }
}
