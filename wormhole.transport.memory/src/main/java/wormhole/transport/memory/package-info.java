/**
 * The in-memory transport, and a walk-through of writing a transport from the SPI's javadoc alone
 * ({@code wormhole.api.spi}, whose package documentation states the contract). Each step names the
 * class here that does it.
 *
 * <ol>
 *   <li><b>Pick a rendezvous URI scheme and a provider.</b> A transport is one
 *       {@link wormhole.api.spi.TransportProvider} with a public no-argument constructor, declared in
 *       {@code module-info.java} with {@code provides wormhole.api.spi.TransportProvider with ...}.
 *       {@code supports} answers for its scheme ({@code mem:} here); {@code name} is a short word for
 *       messages. {@link java.util.ServiceLoader} may make a provider per {@code Wormhole}, so state
 *       shared between the two ends lives elsewhere ({@link wormhole.transport.memory.MemoryRendezvous#SHARED}).
 *       See {@link wormhole.transport.memory.MemoryTransportProvider}.</li>
 *   <li><b>Host: return a {@link wormhole.api.spi.HostedLink} whose nameplate is known.</b>
 *       {@code host} registers (binds a port, asks a relay) and returns before any peer arrives;
 *       its {@code nameplate()} must be 1 to 10 digits, since the channel code is made from it
 *       ({@code 4242-apple-banana}). Here it is the smallest free number at the rendezvous name.
 *       See {@link wormhole.transport.memory.MemoryRendezvous#register}.</li>
 *   <li><b>Wait for exactly one peer.</b> {@code awaitPeer(timeout)} blocks until a peer arrives and
 *       returns this end's {@link wormhole.api.spi.FrameLink}; the engine passes
 *       {@code Duration.ZERO} (no limit) and ends the wait with {@code close()}, which must make it
 *       throw at once. A positive time-out ends with {@link java.net.SocketTimeoutException}. After
 *       the wait, no second peer is accepted. See {@link wormhole.transport.memory.MemoryHostedLink}
 *       (a {@link java.util.concurrent.CompletableFuture} that {@code close()} completes
 *       exceptionally).</li>
 *   <li><b>Connect: find the host by the nameplate and return the peer's link.</b>
 *       {@code connect(rendezvous, channelId, settings)} runs on the channel's thread and must give
 *       up within {@code settings.connectTimeout()}. Never repeat a channel id that is not a plain
 *       number in a message: a legacy code's id is the whole code, a password. See
 *       {@code MemoryTransportProvider.connect}.</li>
 *   <li><b>Carry whole frames.</b> {@code send} and {@code receive} move opaque byte arrays, whole,
 *       in order, none lost or repeated; one thread sends and one receives at a time. The array given
 *       to {@code send} becomes the link's (it may keep it); the array {@code receive} returns becomes
 *       the engine's. {@code receive} throws {@link java.io.EOFException} when the other end closed
 *       cleanly, and frames over {@code maxFrameSize()} are refused with
 *       {@link wormhole.api.spi.FrameTooLargeException}. See
 *       {@link wormhole.transport.memory.MemoryFrameLink} over two bounded
 *       {@link wormhole.transport.memory.FramePipe}s, whose senders block when full (back-pressure).</li>
 *   <li><b>Close from any thread.</b> {@code close()} on a link or a hosted link is idempotent,
 *       never throws, and fails a blocked {@code send}, {@code receive} or {@code awaitPeer} at
 *       once; the other end then sees the end of the stream. See {@code FramePipe.closeWriter} and
 *       {@code closeReader}.</li>
 *   <li><b>Fail with {@link java.io.IOException} only.</b> Any unchecked exception (or a null link)
 *       is taken for a broken transport: the engine ends the channel with {@code connection_failed}
 *       and closes what the transport opened.</li>
 *   <li><b>Optionally, report link events and run threads.</b> {@code settings.observer()} hears
 *       {@link wormhole.api.spi.LinkEvent}s ({@code WAITING}, {@code PAIRED} here) and must not be
 *       blocked on; a transport that needs threads of its own (this one has none) takes them from
 *       {@code settings.threads()} with {@link wormhole.api.spi.Threads#start}.</li>
 * </ol>
 *
 * <p>The tests of this module ({@code MemoryChannelTest}) then run whole channels over it through
 * the public {@code Wormhole} API, which is the check that a transport is complete.
 */
package wormhole.transport.memory;
