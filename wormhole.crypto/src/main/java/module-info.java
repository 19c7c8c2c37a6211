/**
 * SPAKE2 (python-spake2 compatible), HKDF-SHA256 key derivation and AES-256-GCM frame sessions.
 * Bytes in, bytes out: this module knows nothing of channels, JSON or sockets.
 */
module wormhole.crypto {
    requires org.bouncycastle.provider;

    exports wormhole.crypto;
}
