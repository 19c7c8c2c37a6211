/** WebSocket relay client transport for {@code ws://} and {@code wss://} relay URLs. */
module wormhole.transport.relay {
    requires wormhole.api;
    requires org.java_websocket;

    provides wormhole.api.spi.TransportProvider with wormhole.transport.relay.RelayTransportProvider;
}
