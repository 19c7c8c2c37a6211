/** The blind relay: pairs the two parties of a channel and forwards opaque frames between them. */
module wormhole.relayserver {
    requires org.java_websocket;
    requires com.fasterxml.jackson.databind;

    exports wormhole.relayserver;
}
