package wormhole.api;

/** Which end of a channel this is: the host made the code, the peer typed it. */
public enum Role {
    /** The end that created the channel and its code. */
    HOST("host"),
    /** The end that joined with the code. */
    PEER("peer");

    private final String wire;

    Role(String wire) {
        this.wire = wire;
    }

    /** @return the name used on the wire and in JSON lines ({@code host} or {@code peer}) */
    public String wireName() {
        return wire;
    }

    /** @return the other end */
    public Role other() {
        return this == HOST ? PEER : HOST;
    }
}
