package wormhole.shell.control;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import wormhole.shell.output.JsonTrees;

/** Sends one request to a running channel's control socket and reads its one-line reply. */
public final class ControlClient {
    /** Replies are one short JSON line; anything longer is not a reply. */
    private static final int MAX_REPLY = 1024 * 1024;

    public ControlClient() {
    }

    /**
     * @throws IOException when no process listens (a left-over socket) or it went away mid-request
     */
    public ObjectNode call(Path socket, ObjectNode request) throws IOException {
        return call(socket, request, InputStream.nullInputStream());
    }

    /**
     * Sends a request line followed by {@code body} to its end (standard input to stream), then reads
     * the reply. If the channel process stops reading early, its reply still says why.
     *
     * @throws IOException when no process listens or it gave no answer
     */
    public ObjectNode call(Path socket, ObjectNode request, InputStream body) throws IOException {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            OutputStream out = Channels.newOutputStream(c);
            out.write(JsonTrees.bytes(request));
            out.write('\n');
            try {
                body.transferTo(out);
                out.flush();
                c.shutdownOutput();
            } catch (IOException e) {
                // the channel process refused the rest; its reply follows
            }
            byte[] reply = readLine(Channels.newInputStream(c));
            try {
                if (JsonTrees.read(reply) instanceof ObjectNode node) {
                    return node;
                }
            } catch (IOException e) {
                // reported below
            }
            throw new IOException("the channel process gave no answer");
        }
    }

    /**
     * Reads the reply up to its newline and no further. When the channel process answered before it
     * read all of the body, Linux may report that connection reset after the reply instead of the end
     * of the stream; reading to the end would then lose the reply.
     */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] one = new byte[1];
        while (line.size() <= MAX_REPLY) {
            int n;
            try {
                n = in.read(one);
            } catch (IOException e) {
                if (line.size() == 0) {
                    throw e;
                }
                break;
            }
            if (n < 0 || one[0] == '\n') {
                break;
            }
            line.write(one[0]);
        }
        return line.toByteArray();
    }
}
