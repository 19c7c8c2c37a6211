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
}
