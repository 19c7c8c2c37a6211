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
    SHUTTING_DOWN("shutting_down"),
    /** Joins from this client address are refused for a while: too many of its joins failed. */
    ADDRESS_THROTTLED("address_throttled"),
    /** This client address holds too many bytes in channels that have no peer yet. */
    UNPAIRED_LIMIT("unpaired_limit"),
    /** A message before the join or resume over the small limit for it (counted; the connection is cut). */
    MESSAGE_TOO_LARGE("message_too_large"),
    /** This client address has too many connections open (counted; the connection is cut). */
    TOO_MANY_CONNECTIONS("too_many_connections"),
    /** The relay has as many connections open as it takes (counted; the connection is cut). */
    RELAY_FULL("relay_full"),
    /** No WebSocket upgrade in time (counted; the connection is cut). */
    UPGRADE_TIMEOUT("upgrade_timeout"),
    /** Relays sharing their channels through Redis: Redis cannot be reached, so the channel cannot go on. */
    RELAY_UNAVAILABLE("relay_unavailable"),
    /** Handling this connection failed inside the relay (a bug): that connection is closed, the relay goes on. */
    INTERNAL_ERROR("internal_error");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    String wire() {
        return wire;
    }
}
