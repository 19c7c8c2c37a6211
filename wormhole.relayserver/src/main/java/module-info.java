/**
 * The blind relay: pairs the two parties of a channel and forwards opaque frames between them.
 * {@link wormhole.relayserver.RelayServer} with a {@link wormhole.relayserver.RelayConfig} is the
 * whole API.
 */
module wormhole.relayserver {
    requires org.java_websocket;
    requires com.fasterxml.jackson.databind;
    requires jdk.httpserver;

    exports wormhole.relayserver;
}
