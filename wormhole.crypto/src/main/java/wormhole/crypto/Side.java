package wormhole.crypto;

/**
 * The two ends of a SPAKE2 exchange. The host is python-spake2's side A, the peer side B; the
 * side also picks the direction keys (the host seals with host-to-peer, the peer with peer-to-host).
 */
public enum Side {
    /** SPAKE2 side A; seals with the host-to-peer key. */
    HOST,
    /** SPAKE2 side B; seals with the peer-to-host key. */
    PEER
}
