package wormhole.api.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The SHA-256 of a stream's bytes at either end, or nothing when both ends share
 * {@link wormhole.api.Feature#UNHASHED_STREAM}: then AES-GCM, which already authenticates every chunk
 * and its place in the sequence, is the only check, and neither end spends a core-second per GiB
 * hashing (docs/PROTOCOL.md, section 4.3).
 */
final class StreamDigest {
    private final MessageDigest sha;

    private StreamDigest(MessageDigest sha) {
        this.sha = sha;
    }

    /** @param hashed whether the stream carries a SHA-256 (the peer lacks the unhashed feature) */
    static StreamDigest of(boolean hashed) {
        return new StreamDigest(hashed ? sha256() : null);
    }

    void update(byte[] data, int offset, int length) {
        if (sha != null) {
            sha.update(data, offset, length);
        }
    }

    /** @return the lowercase hex SHA-256 of everything so far, when hashed; call once, at the end */
    Optional<String> finish() {
        return sha == null ? Optional.empty() : Optional.of(HexFormat.of().formatHex(sha.digest()));
    }

    /**
     * Compares with the sender's figure; call once, at the end.
     *
     * @param theirs the {@code sha256} of the stream's end message, if it had one
     * @return whether they agree: equal hashes, or neither end hashing
     */
    boolean matches(Optional<String> theirs) {
        Optional<String> ours = finish();
        if (ours.isEmpty() || theirs.isEmpty()) {
            return ours.isEmpty() && theirs.isEmpty();
        }
        return MessageDigest.isEqual(ours.get().getBytes(StandardCharsets.US_ASCII),
                theirs.get().getBytes(StandardCharsets.US_ASCII));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
