package wormhole.relayserver.internal;

/** The two sides of a channel, named as on the wire. */
enum Role {
    HOST("host"),
    PEER("peer");

    private final String wire;

    Role(String wire) {
        this.wire = wire;
    }

    String wire() {
        return wire;
    }

    static Role fromWire(String s) {
        for (Role r : values()) {
            if (r.wire.equals(s)) {
                return r;
            }
        }
        return null;
    }
}
