/**
 * The blind relay: pairs the two parties of a channel and forwards opaque frames between them.
 * {@link wormhole.relayserver.RelayServer} with a {@link wormhole.relayserver.RelayConfig} is the
 * whole API. With a Redis URL the channels live in Redis and several relay processes share them.
 */
@SuppressWarnings("requires-automatic") // Jedis has no module descriptor; the image gives it one (link.sh)
module wormhole.relayserver {
    requires org.java_websocket;
    requires com.fasterxml.jackson.databind;
    requires jdk.httpserver;
    requires redis.clients.jedis;
    requires org.apache.commons.pool2;

    exports wormhole.relayserver;
}
