/**
 * WebSocket relay client transport for {@code ws://} and {@code wss://} rendezvous URIs: joins a
 * relay, reconnects and resumes by itself, and paces itself under the relay's announced limits.
 */
module wormhole.transport.relay {
    requires wormhole.api;
    requires org.java_websocket;
    requires com.fasterxml.jackson.databind;

    provides wormhole.api.spi.TransportProvider with wormhole.transport.relay.RelayTransportProvider;
}
