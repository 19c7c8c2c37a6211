/** Direct TCP transport: the host listens on a port and accepts exactly one peer. */
module wormhole.transport.direct {
    requires wormhole.api;

    provides wormhole.api.spi.TransportProvider with wormhole.transport.direct.DirectTransportProvider;
}
