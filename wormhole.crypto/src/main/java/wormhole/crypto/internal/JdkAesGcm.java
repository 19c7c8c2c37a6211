package wormhole.crypto.internal;

import java.security.GeneralSecurityException;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM through the JDK's {@code AES/GCM/NoPadding} (SunJCE), which HotSpot backs with AES-NI
 * and carry-less-multiply intrinsics once the code is compiled.
 */
public final class JdkAesGcm implements AesGcm {
    private final byte[] key;
    private SecretKeySpec keySpec;
    private final Cipher cipher;

    /**
     * @param key the 32-byte key (copied)
     */
    public JdkAesGcm(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("AES-256 needs a 32-byte key, got " + key.length);
        }
        this.key = key.clone();
        this.keySpec = new SecretKeySpec(this.key, "AES");
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM/NoPadding is required by every Java platform", e);
        }
    }

    @Override
    public int seal(byte[] nonce, byte[] in, int offset, int length, byte[] out, int outOffset) {
        try {
            cipher.init(Cipher.ENCRYPT_MODE, liveKey(), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
            return cipher.doFinal(in, offset, length, out, outOffset);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed: " + e.getMessage(), e);
        }
    }

    @Override
    public int open(byte[] nonce, byte[] in, int offset, int length, byte[] out, int outOffset)
            throws AEADBadTagException {
        try {
            cipher.init(Cipher.DECRYPT_MODE, liveKey(), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
            return cipher.doFinal(in, offset, length, out, outOffset);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed: " + e.getMessage(), e);
        }
    }

    private SecretKeySpec liveKey() {
        SecretKeySpec spec = keySpec;
        if (spec == null) {
            throw new IllegalStateException("key destroyed");
        }
        return spec;
    }

    /**
     * Wipes our copy of the key. What stays out of reach: SecretKeySpec keeps its own private copy
     * of the bytes (its destroy() is the Destroyable default and only throws on JDK 17), and the
     * Cipher holds the expanded AES round keys and the GHASH subkey inside SunJCE's private state,
     * which has no wipe method; re-initialising with another key allocates fresh arrays rather than
     * overwriting the old ones. So we drop every reference and leave those copies to the garbage
     * collector: a heap dump taken before they are reused could still show them.
     */
    @Override
    public void destroy() {
        Arrays.fill(key, (byte) 0);
        keySpec = null;
    }
}
