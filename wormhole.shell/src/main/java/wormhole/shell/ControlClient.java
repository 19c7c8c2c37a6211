package wormhole.shell;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/** Sends one request to a running channel's control socket and reads its one-line reply. */
final class ControlClient {
    private final ObjectMapper json;

    ControlClient(ObjectMapper json) {
        this.json = json;
    }

    /**
     * @throws IOException when no process listens (a left-over socket) or it went away mid-request
     */
    ObjectNode call(Path socket, ObjectNode request) throws IOException {
        return call(socket, request, InputStream.nullInputStream());
    }

    /**
     * Sends a request line followed by {@code body} to its end (standard input to stream), then reads
     * the reply. If the channel process stops reading early, its reply still says why.
     *
     * @throws IOException when no process listens or it gave no answer
     */
    ObjectNode call(Path socket, ObjectNode request, InputStream body) throws IOException {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            OutputStream out = Channels.newOutputStream(c);
            out.write(json.writeValueAsBytes(request));
            out.write('\n');
            try {
                body.transferTo(out);
                out.flush();
                c.shutdownOutput();
            } catch (IOException e) {
                // the channel process refused the rest; its reply follows
            }
            InputStream in = Channels.newInputStream(c);
            byte[] reply = in.readAllBytes();
            try {
                if (json.readTree(reply) instanceof ObjectNode node) {
                    return node;
                }
            } catch (IOException e) {
                // reported below
            }
            throw new IOException("the channel process gave no answer");
        }
    }
}
