package wormhole.relayserver.internal;

import org.java_websocket.WebSocket;
import org.java_websocket.framing.CloseFrame;

/** Refuses a connection that is not (or no longer) in a channel: one error, counted, then a close. */
record Refusals(Counters counters, Flow flow) {
    /** Sends {@code code} with {@code message}, and closes the connection a moment later. */
    void refuse(WebSocket conn, ErrorCode code, String message) {
        ConnState st = conn.getAttachment();
        if (st != null) {
            st.refused = true;
        }
        counters.refusal(code);
        Wire.text(conn, Control.error(code, message));
        flow.closeLater(conn, code == ErrorCode.SHUTTING_DOWN ? CloseFrame.GOING_AWAY : CloseFrame.POLICY_VALIDATION,
                code.wire());
    }

    /**
     * Handling an event of {@code conn} threw (a bug): logs where (the exception's type and first
     * frames, never its message, which could hold what a client sent), tells the client, and closes
     * the connection with 1011.
     */
    void internalError(WebSocket conn, RuntimeException e, RelayLog log) {
        StringBuilder where = new StringBuilder(e.getClass().getName());
        StackTraceElement[] trace = e.getStackTrace();
        for (int i = 0; i < Math.min(4, trace.length); i++) {
            where.append(i == 0 ? " at " : " < ").append(trace[i]);
        }
        ConnState st = conn.getAttachment();
        try {
            log.info("internal error on a connection from " + (st == null ? "an unknown address" : st.address)
                    + ", which is closed: " + where);
        } catch (RuntimeException ignored) {
            // the log itself failed: the connection is still closed below
        }
        if (st != null) {
            st.refused = true;
        }
        counters.refusal(ErrorCode.INTERNAL_ERROR);
        Wire.text(conn, Control.error(ErrorCode.INTERNAL_ERROR, "the relay failed on this connection; it goes on for others"));
        conn.close(CloseFrame.UNEXPECTED_CONDITION, ErrorCode.INTERNAL_ERROR.wire());
    }
}
