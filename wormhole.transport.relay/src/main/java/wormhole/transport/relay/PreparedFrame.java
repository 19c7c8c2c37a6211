package wormhole.transport.relay;

import org.java_websocket.framing.BinaryFrame;

/**
 * A binary frame already written and masked ({@link MaskedFrames#binary}), handed to the library
 * whole: {@link CappedDraft} puts its bytes on the wire as they are.
 */
final class PreparedFrame extends BinaryFrame {
    private final byte[] wire;

    PreparedFrame(byte[] wire) {
        this.wire = wire;
    }

    byte[] wire() {
        return wire;
    }
}
