package wormhole.relayserver.internal;

/** Which of the two parties of a relay channel a connection speaks for (host or peer), named as on the wire. */
enum Party {
    HOST("host"),
    PEER("peer");

    private final String wire;

    Party(String wire) {
        this.wire = wire;
    }

    String wire() {
        return wire;
    }

    static Party fromWire(String s) {
        for (Party r : values()) {
            if (r.wire.equals(s)) {
                return r;
            }
        }
        return null;
    }
}
