package wormhole.api.internal;

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

    /** @param body the text */
    record Text(String body) implements Message {
    }

    /**
     * A whole file in one frame, as version 1 sends it.
     *
     * @param name    the sender's name for it
     * @param size    the size the sender declared
     * @param content the bytes
     */
    record File(String name, long size, byte[] content) implements Message {
    }

    /** A deliberate goodbye (feature {@code close}). */
    record Close() implements Message {
    }

    /** A keepalive (feature {@code ping}); never shown. */
    record Ping() implements Message {
    }

    /** @param type a message type this build does not know; ignored, as Python ignores them */
    record Unknown(String type) implements Message {
    }
}
