package wormhole.shell.mcp;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The MCP stdio transport: one JSON-RPC message per line, UTF-8, in both directions. A line longer
 * than the limit is skipped to its end without being held in memory and reported as
 * {@link Line.TooLarge}, so a hostile client cannot make the server allocate without bound.
 */
final class LineTransport {
    /** What one read returned. */
    sealed interface Line {
        /** A whole line, without its terminator. */
        record Text(String text) implements Line {
        }

        /** A line over the limit; its bytes were dropped. */
        record TooLarge(long bytes) implements Line {
        }

        /** Standard input is closed. */
        record End() implements Line {
        }
    }

    private final InputStream in;
    private final OutputStream out;
    private final int limit;

    LineTransport(InputStream in, OutputStream out, int limit) {
        this.in = new BufferedInputStream(in, 64 * 1024);
        this.out = out;
        this.limit = limit;
    }

    /** @return the next line, a note that it was too large, or the end of input */
    Line read() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        long seen = 0;
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                if (seen > limit) {
                    return new Line.TooLarge(seen);
                }
                return new Line.Text(buffer.toString(StandardCharsets.UTF_8));
            }
            seen++;
            if (seen <= limit) {
                buffer.write(b);
            } else if (buffer.size() > 0) {
                buffer = new ByteArrayOutputStream();
            }
        }
        if (seen > limit) {
            return new Line.TooLarge(seen);
        }
        return seen == 0 ? new Line.End() : new Line.Text(buffer.toString(StandardCharsets.UTF_8));
    }

    /** Writes one message as one line and flushes it; safe from any thread. */
    synchronized void write(String json) throws IOException {
        out.write(json.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
        out.flush();
    }
}
