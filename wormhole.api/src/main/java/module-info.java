/**
 * The public face of agent-wormhole: {@link wormhole.api.Wormhole}, {@link wormhole.api.Channel},
 * {@link wormhole.api.ChannelCode}, the channel events, and the transport SPI in
 * {@code wormhole.api.spi}. The channel engine lives in packages that are not exported.
 */
module wormhole.api {
    requires wormhole.crypto;
    requires com.fasterxml.jackson.databind;

    exports wormhole.api;
    exports wormhole.api.spi;
    exports wormhole.api.spi.resume;

    uses wormhole.api.spi.TransportProvider;
}
