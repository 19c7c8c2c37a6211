package wormhole.crypto.internal;

import java.util.Arrays;

import javax.crypto.AEADBadTagException;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * AES-256-GCM through bcprov's lightweight API (pure Java AES and GHASH). The key is given only at
 * the first init; later inits pass a null key so bcprov keeps its key schedule and GHASH tables.
 */
public final class BcAesGcm implements AesGcm {
    private final GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
    private KeyParameter key;
    private boolean keyLoaded;
    private boolean destroyed;

    /**
     * @param key the 32-byte key (copied)
     */
    public BcAesGcm(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("AES-256 needs a 32-byte key, got " + key.length);
        }
        this.key = new KeyParameter(key.clone());
    }

    @Override
    public int seal(byte[] nonce, byte[] in, int offset, int length, byte[] out, int outOffset) {
        gcm.init(true, parameters(nonce));
        int n = gcm.processBytes(in, offset, length, out, outOffset);
        try {
            return n + gcm.doFinal(out, outOffset + n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("AES-GCM encryption failed: " + e.getMessage(), e);
        }
    }

    @Override
    public int open(byte[] nonce, byte[] in, int offset, int length, byte[] out, int outOffset)
            throws AEADBadTagException {
        gcm.init(false, parameters(nonce));
        // bcprov writes plaintext from processBytes before doFinal checks the tag, so a failed
        // frame's plaintext is overwritten here and never reaches the caller.
        int n = gcm.processBytes(in, offset, length, out, outOffset);
        try {
            return n + gcm.doFinal(out, outOffset + n);
        } catch (InvalidCipherTextException e) {
            Arrays.fill(out, outOffset, outOffset + Math.max(0, length - TAG_LENGTH), (byte) 0);
            throw new AEADBadTagException(e.getMessage());
        }
    }

    private AEADParameters parameters(byte[] nonce) {
        if (destroyed) {
            throw new IllegalStateException("key destroyed");
        }
        KeyParameter first = keyLoaded ? null : key;
        keyLoaded = true;
        return new AEADParameters(first, TAG_LENGTH * 8, nonce);
    }

    /**
     * Wipes the key bytes (KeyParameter hands out its own array). bcprov's AESEngine keeps the
     * expanded round keys and GCM its H tables in private fields with no wipe method, so those are
     * only dropped with this object.
     */
    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(key.getKey(), (byte) 0);
        key = null;
    }
}
