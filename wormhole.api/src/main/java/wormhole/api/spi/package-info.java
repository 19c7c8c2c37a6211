/**
 * The transport SPI, for people who write transports. A transport carries opaque frames between the
 * two ends of a channel; the engine in {@code wormhole.api} does the handshake, encryption and
 * messages on top. Implement {@link wormhole.api.spi.TransportProvider}, {@link
 * wormhole.api.spi.HostedLink} and {@link wormhole.api.spi.FrameLink}, and declare the provider in
 * your {@code module-info.java}; the README has a worked example.
 */
package wormhole.api.spi;
