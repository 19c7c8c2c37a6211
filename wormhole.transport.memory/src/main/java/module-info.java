/**
 * A test-only transport that pairs two ends inside one JVM through bounded in-memory queues, at
 * rendezvous URIs {@code mem://<name>}. It exists to prove that a module outside {@code wormhole.api}
 * can plug a transport in through the SPI alone; it exports nothing and is never part of the
 * runtime image.
 */
module wormhole.transport.memory {
    requires wormhole.api;

    provides wormhole.api.spi.TransportProvider with wormhole.transport.memory.MemoryTransportProvider;
}
