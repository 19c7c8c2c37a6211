package wormhole.relayserver.internal;

import java.util.function.Consumer;

/**
 * The relay's log: start, stop and trouble always; each channel's life only when verbose. Callers
 * never pass a code, a nameplate, a token or a payload: channels are named by a serial number.
 */
final class RelayLog {
    private final Consumer<String> sink;
    private final boolean verbose;

    RelayLog(Consumer<String> sink, boolean verbose) {
        this.sink = sink;
        this.verbose = verbose;
    }

    void info(String line) {
        sink.accept(line);
    }

    void detail(String line) {
        if (verbose) {
            sink.accept(line);
        }
    }
}
