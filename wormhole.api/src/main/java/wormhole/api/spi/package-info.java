/**
 * The transport SPI, for people who write transports. A transport carries opaque frames between the
 * two ends of a channel; the engine in {@code wormhole.api} does the handshake, encryption and
 * messages on top. Implement {@link wormhole.api.spi.TransportProvider}, {@link
 * wormhole.api.spi.HostedLink} and {@link wormhole.api.spi.FrameLink}, and declare the provider in
 * your {@code module-info.java} ({@code provides wormhole.api.spi.TransportProvider with ...}). The
 * memory transport ({@code wormhole.transport.memory}) is the smallest complete example; its package
 * documentation walks through it.
 *
 * <h2>The contract</h2>
 *
 * <p>What follows is what every transport must do; the engine relies on nothing else.
 *
 * <ul>
 *   <li><b>Nameplate.</b> {@link wormhole.api.spi.HostedLink#nameplate()} must return 1 to 10 ASCII
 *       digits ({@code [0-9]{1,10}}), known as soon as {@code host} returns and never changing. It
 *       must not be null. The engine checks it: anything else closes the hosted link and fails
 *       {@code Wormhole.host} with {@code CONNECTION_FAILED}.</li>
 *   <li><b>Time-outs.</b> {@code host} and {@code connect} must give up within
 *       {@link wormhole.api.spi.LinkSettings#connectTimeout()} when the rendezvous does not answer.
 *       The engine calls {@link wormhole.api.spi.HostedLink#awaitPeer(java.time.Duration,
 *       OpeningCheck) awaitPeer} with {@link java.time.Duration#ZERO}, which means no limit: a host
 *       waits for its peer until the channel ends, and the engine ends that wait by calling
 *       {@link wormhole.api.spi.HostedLink#close()}. With a positive time-out, {@code awaitPeer} must
 *       throw {@link java.net.SocketTimeoutException} once it has passed. Either way,
 *       {@code close()} must make a blocked {@code awaitPeer} throw at once. (The engine does not
 *       depend on it: a channel closed while {@code awaitPeer} is stuck still ends and reports, and a
 *       link returned afterwards is closed unused.)</li>
 *   <li><b>Threads.</b> {@code host} and {@code nameplate} are called on the thread that called
 *       {@code Wormhole.host}; {@code connect} and {@code awaitPeer} on the channel's own thread.
 *       {@link wormhole.api.spi.FrameLink#receive()} is called by one thread at a time (the channel
 *       thread); {@link wormhole.api.spi.FrameLink#send(byte[])} by one thread at a time (the engine
 *       sends under a lock, from callers', timer and receipt threads), possibly while another thread
 *       receives. {@code close()} may be called from any thread, at any moment, more than once, and
 *       concurrently with {@code send}, {@code receive} and {@code awaitPeer}: it must not block
 *       on them and must make them fail at once. A transport should make its own threads with the
 *       {@link wormhole.api.spi.LinkSettings#threads() thread factory} it is given (daemons by
 *       default, so an open channel never keeps a process alive), naming each after its job.</li>
 *   <li><b>Buffers.</b> The array given to {@code send} belongs to the link from the call on: the
 *       engine never reads or writes it again, so a link may queue or keep it (for a resend) without
 *       copying. The array {@code receive} returns belongs to the engine: the link must not keep or
 *       reuse it. Frames are never empty and at most {@link wormhole.api.spi.FrameLink#maxFrameSize()}
 *       bytes; frame boundaries and order must be preserved, and no frame may be lost, duplicated or
 *       altered (the engine would see a decryption failure and end the channel). The same holds for
 *       both arrays of {@link wormhole.api.spi.FrameLink#send(byte[], byte[])}, one frame in two parts,
 *       which a link that writes a byte stream should override to write them without joining them.</li>
 *   <li><b>Exceptions.</b> Every failure of the rendezvous or the link must be an
 *       {@link java.io.IOException}: {@link java.io.EOFException} from {@code receive} when the other
 *       end closed cleanly, {@link wormhole.api.spi.FrameTooLargeException} for an announced frame
 *       over the limit, {@link java.net.SocketTimeoutException} from a timed {@code awaitPeer}. The
 *       only unchecked exception allowed is {@link UnsupportedOperationException} from the optional
 *       {@link wormhole.api.spi.TransportProvider#host(java.net.URI, String, LinkSettings)}.
 *       {@code close()} and {@link wormhole.api.spi.LinkObserver#onLinkEvent} calls must not throw.
 *       The engine treats any other unchecked exception (or a null where a link was due) as a fault
 *       of the transport: the channel ends with {@code connection_failed} and the engine closes what
 *       the provider opened.</li>
 *   <li><b>Upgrades (optional).</b> A link through a rendezvous between networks may let the
 *       engine move its channel to a direct connection by implementing
 *       {@link wormhole.api.spi.UpgradeCarrier} (whose documentation has its must-clauses: stay
 *       reliable and open as the fallback, carry the engine's records untouched); a transport that
 *       can open direct connections offers {@link wormhole.api.spi.DirectPaths} from
 *       {@link wormhole.api.spi.TransportProvider#directPaths()}. A transport that does neither
 *       declines: the engine never offers the upgrade over its links, and nothing changes on its
 *       wire.</li>
 *   <li><b>Events.</b> A transport may report {@link wormhole.api.spi.LinkEvent}s to the observer in
 *       its settings, from its own threads; they are optional (direct TCP reports none).</li>
 * </ul>
 */
package wormhole.api.spi;
