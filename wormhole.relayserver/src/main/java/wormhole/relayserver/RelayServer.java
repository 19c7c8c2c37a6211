package wormhole.relayserver;

/** Placeholder until the relay server lands. */
public final class RelayServer {
    /** Creates the server. */
    public RelayServer() {
    }
}
