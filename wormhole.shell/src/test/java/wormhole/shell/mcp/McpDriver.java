package wormhole.shell.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import wormhole.shell.interactive.ShellSupport;

/** Runs an {@link McpServer} in this JVM on in-memory streams: write lines to it, read its lines back. */
final class McpDriver implements AutoCloseable {
    private static final byte[] EOF = new byte[0];
    private static final String END = new String("<end>");

    final ObjectMapper json = new ObjectMapper();
    private final LinkedBlockingQueue<byte[]> input = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<String> output = new LinkedBlockingQueue<>();
    final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    final CompletableFuture<Integer> exit = new CompletableFuture<>();

    McpDriver(ShellSupport support, int limit) {
        McpServer server = new McpServer(support, Optional.empty(), new QueueInput(), new LineOutput(),
                new PrintStream(stderr, true, StandardCharsets.UTF_8), "test", limit);
        Thread t = new Thread(() -> {
            try {
                exit.complete(server.run());
            } catch (Throwable e) {
                exit.completeExceptionally(e);
            } finally {
                output.add(END);
            }
        }, "mcp-server-under-test");
        t.setDaemon(true);
        t.start();
    }

    void send(String line) {
        input.add((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    void sendBytes(byte[] bytes) {
        input.add(bytes);
    }

    /** Sends a request and returns the next line from the server, which must be its response. */
    JsonNode request(int id, String method, String params) throws Exception {
        send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\"" + (params == null ? "" : ",\"params\":" + params) + "}");
        JsonNode r = next();
        if (r.path("id").asInt(-1) != id) {
            throw new AssertionError("expected the response to " + id + ", got " + r);
        }
        return r;
    }

    JsonNode call(int id, String tool, String arguments) throws Exception {
        return request(id, "tools/call", "{\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}");
    }

    JsonNode next() throws Exception {
        return json.readTree(nextLine());
    }

    /** @return the server's next line as it was written */
    String nextLine() throws Exception {
        String line = output.poll(30, TimeUnit.SECONDS);
        if (line == null) {
            throw new AssertionError("no line from the server within 30 s");
        }
        if (line == END) {
            throw new AssertionError("the server's output ended");
        }
        return line;
    }

    /** Closes stdin and returns every line the server wrote until it stopped. */
    java.util.List<JsonNode> endInput() throws Exception {
        input.add(EOF);
        java.util.List<JsonNode> rest = new java.util.ArrayList<>();
        while (true) {
            String line = output.poll(30, TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("the server did not stop within 30 s of stdin closing");
            }
            if (line == END) {
                return rest;
            }
            rest.add(json.readTree(line));
        }
    }

    @Override
    public void close() {
        input.add(EOF);
    }

    private final class QueueInput extends InputStream {
        private byte[] current = new byte[0];
        private int pos;
        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (!ended && pos >= current.length) {
                try {
                    current = input.take();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                pos = 0;
                if (current == EOF) {
                    ended = true;
                }
            }
            if (ended) {
                return -1;
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    private final class LineOutput extends OutputStream {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                output.add(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }
    }
}
