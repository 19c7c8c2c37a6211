package wormhole.relayserver.internal;

/** The {@code code} of every error the relay sends; the protocol document lists them. */
enum ErrorCode {
    BAD_REQUEST("bad_request"),
    NO_SUCH_CHANNEL("no_such_channel"),
    CHANNEL_FULL("channel_full"),
    HOST_EXISTS("host_exists"),
    TOO_MANY_ATTEMPTS("too_many_attempts"),
    TOO_MANY_CHANNELS("too_many_channels"),
    JOIN_TIMEOUT("join_timeout"),
    FRAME_TOO_LARGE("frame_too_large"),
    RATE_LIMITED("rate_limited"),
    SLOW_READER("slow_reader"),
    RELAY_BUSY("relay_busy"),
    INACTIVE("inactive"),
    PEER_GONE("peer_gone"),
    RESUME_FAILED("resume_failed"),
    RESUME_GAP("resume_gap"),
    SHUTTING_DOWN("shutting_down");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    String wire() {
        return wire;
    }
}
