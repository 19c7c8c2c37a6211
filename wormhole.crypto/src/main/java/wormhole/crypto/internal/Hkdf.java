package wormhole.crypto.internal;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/** RFC 5869 HKDF-SHA256 with an empty salt (bcprov then uses 32 zero bytes, which is the same). */
public final class Hkdf {
    private Hkdf() {
    }

    /**
     * Extracts and expands.
     *
     * @param ikm    input keying material
     * @param info   context string
     * @param length bytes of output
     * @return {@code length} bytes
     */
    public static byte[] sha256(byte[] ikm, byte[] info, int length) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(ikm, null, info));
        byte[] out = new byte[length];
        hkdf.generateBytes(out, 0, length);
        return out;
    }
}
