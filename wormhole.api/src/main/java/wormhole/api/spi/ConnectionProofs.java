package wormhole.api.spi;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The MAC with which an end proves a new connection belongs to its channel (a direct link's resume,
 * an upgrade to a direct connection): HMAC-SHA256 under a key derived from the channel's SPAKE2 key,
 * over a label and the connection's fresh values. One place, so every proof is made and checked alike.
 */
public final class ConnectionProofs {
    private ConnectionProofs() {
    }

    /** @return HMAC-SHA256 under {@code key} of the {@code parts}, in order, without separators */
    public static byte[] mac(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this runtime", e);
        }
    }
}
