package wormhole.api.internal;

import java.util.Optional;
import java.util.Set;
import wormhole.api.Role;

/** A decrypted frame's meaning: the closed family of messages this engine reads and writes. */
public sealed interface Message {
    /**
     * The first encrypted frame each way; its successful decryption is the key confirmation.
     *
     * @param version        the protocol version, 1
     * @param role           the sender's role
     * @param features       the feature names the sender offers (empty for Python 0.1.x)
     * @param implementation the sender's implementation name, or empty
     */
    record Version(int version, Role role, Set<String> features, String implementation) implements Message {
        /** Copies the set. */
        public Version {
            features = Set.copyOf(features);
        }
    }

    /**
     * @param body the text
     * @param id   its receipt id (feature {@code ack}), or 0 for none
     */
    record Text(String body, long id) implements Message {
        /** @param body the text, without an id */
        public Text(String body) {
            this(body, 0);
        }
    }

    /**
     * A whole file in one frame, as version 1 sends it.
     *
     * @param name    the sender's name for it
     * @param size    the size the sender declared
     * @param content the bytes
     * @param id      its receipt id (feature {@code ack}), or 0 for none
     */
    record File(String name, long size, byte[] content, long id) implements Message {
        /** A file without an id. */
        public File(String name, long size, byte[] content) {
            this(name, size, content, 0);
        }
    }

    /**
     * Opens a stream (feature {@code stream}); chunks and a {@link StreamEnd} with the same id follow.
     *
     * @param id   the stream's id, never 0
     * @param name the sender's name for it
     * @param size the announced size in bytes, or -1 when unknown ({@code null} on the wire)
     * @param kind what it carries
     */
    record StreamStart(long id, String name, long size, StreamKind kind) implements Message {
    }

    /**
     * One chunk of an open stream: a binary frame, not JSON. The bytes are {@code frame[offset, offset+length)}.
     *
     * @param id     the stream's id
     * @param frame  the decrypted frame
     * @param offset where the data starts
     * @param length how many data bytes
     */
    record Chunk(long id, byte[] frame, int offset, int length) implements Message {
    }

    /**
     * Closes a stream: the receiver checks both values against what arrived before it keeps anything.
     *
     * @param id     the stream's id
     * @param size   the bytes sent
     * @param sha256 the SHA-256 of those bytes, lowercase hex; empty when both ends share
     *               {@link wormhole.api.Feature#UNHASHED_STREAM}
     */
    record StreamEnd(long id, long size, Optional<String> sha256) implements Message {
    }

    /**
     * The sender gives a stream up (its input failed); the receiver discards what arrived.
     *
     * @param id     the stream's id
     * @param detail why
     */
    record StreamAbort(long id, String detail) implements Message {
    }

    /** @param id the id of a text, file or stream the receiver showed or saved (feature {@code ack}) */
    record Ack(long id) implements Message {
    }

    /**
     * The receiver refused an item (feature {@code ack}).
     *
     * @param id     the item's id
     * @param error  a short kind, e.g. {@code refused}
     * @param detail why, for people
     */
    record Nack(long id, String error, String detail) implements Message {
    }

    /** A deliberate goodbye (feature {@code close}). */
    record Close() implements Message {
    }

    /** A keepalive (feature {@code ping}); never shown. */
    record Ping() implements Message {
    }

    /**
     * Where this end listens for a direct connection (feature {@code upgrade}), sent once after the
     * version exchange, sealed like every message.
     *
     * @param hints {@code host:port} strings (an IPv6 host in brackets), at most {@link #MAX_HINTS}
     */
    record DirectHints(java.util.List<String> hints) implements Message {
        /** The most hints a message may carry; more are ignored. */
        public static final int MAX_HINTS = 16;

        /** Copies the list. */
        public DirectHints {
            hints = java.util.List.copyOf(hints);
        }
    }

    /** @param type a message type this build does not know; ignored, as Python ignores them */
    record Unknown(String type) implements Message {
    }
}
