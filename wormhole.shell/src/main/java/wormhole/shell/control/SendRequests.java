package wormhole.shell.control;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import wormhole.api.Channel;
import wormhole.api.Delivery;
import wormhole.api.WormholeException;
import wormhole.api.WormholeException.Failure;
import wormhole.api.spi.FrameLink;

/**
 * How {@code send --stdin} travels: input up to {@link #TEXT_LIMIT} that is UTF-8 goes as text, as
 * version 1 does; anything longer (or binary) is piped through the control socket after the request
 * line and streamed to the peer as a file named {@code stdin}, in constant memory, where the peer has
 * {@code stream}. A version-1 peer still gets text of up to 10 MiB.
 */
public final class SendRequests {
    /** Input up to this many bytes is read whole by {@code send} and sent as text. */
    public static final int TEXT_LIMIT = 1024 * 1024;
    /** {@code --timeout} when not given. */
    public static final long DEFAULT_TIMEOUT_SECONDS = 60;

    private SendRequests() {
    }

    /**
     * Reads the start of standard input.
     *
     * @param in standard input
     * @return the whole input as text when it is short UTF-8; empty when it must be streamed
     * @throws IOException when reading fails
     */
    public static Prefix readPrefix(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(TEXT_LIMIT + 1);
        if (bytes.length <= TEXT_LIMIT) {
            Optional<String> text = utf8(bytes);
            if (text.isPresent()) {
                return new Prefix(bytes, text);
            }
        }
        return new Prefix(bytes, Optional.empty());
    }

    /**
     * @param bytes the first bytes read
     * @param text  the whole input as text, if it was short UTF-8
     */
    public record Prefix(byte[] bytes, Optional<String> text) {
    }

    /** Channel side of op {@code stdin}: streams the rest of the connection, or falls back to text. */
    public static void stdin(Channel c, boolean stream, InputStream body, Duration receipt, ObjectNode reply) throws WormholeException {
        if (!c.isConnected()) {
            // Checked first: before the handshake the peer's features are unknown, and long input
            // would otherwise be refused as too large for a version-1 peer.
            throw new WormholeException(Failure.NOT_CONNECTED, "the channel is not connected yet");
        }
        if (!stream) {
            byte[] bytes;
            try {
                bytes = body.readNBytes(FrameLink.MAX_FRAME_SIZE + 1);
            } catch (IOException e) {
                throw new WormholeException(Failure.UNREADABLE, "standard input broke off: " + e.getMessage(), e);
            }
            if (bytes.length > FrameLink.MAX_FRAME_SIZE) {
                throw new WormholeException(Failure.TOO_LARGE, "this peer lacks the stream feature and takes "
                        + "standard input only as text of at most 10 MiB");
            }
            String text = utf8(bytes).orElseThrow(() -> new WormholeException(Failure.UNSUPPORTED,
                    "this peer lacks the stream feature and standard input is not UTF-8 text; send it with --file"));
            Delivery d = c.sendText(text, receipt);
            reply.put("ok", true).put("kind", "text").put("size", bytes.length).put("confirmed", d == Delivery.CONFIRMED);
            return;
        }
        Counting counted = new Counting(body);
        Delivery d = c.sendStream(counted, "stdin", receipt);
        reply.put("ok", true).put("kind", "file").put("name", "stdin").put("size", counted.count)
                .put("confirmed", d == Delivery.CONFIRMED);
    }

    public static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** Counts the bytes read through it. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
