package wormhole.shell.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import wormhole.api.spi.Threads;

/**
 * The long-running process's local endpoint: a Unix-domain socket in the channel's 0700 folder.
 * Each connection carries one JSON request line and gets one JSON reply line; a request may be
 * followed by raw bytes (standard input to stream), which the handler reads to the end. Connections
 * from another user are refused by their peer credentials, on top of the folder's permissions.
 */
public final class ControlServer implements Closeable {
    /** The largest request line: a text of 10 MiB escaped in JSON fits comfortably. */
    public static final int MAX_REQUEST = 64 * 1024 * 1024;

    /** Answers one request; {@code body} holds whatever the client sent after the request line. */
    @FunctionalInterface
    public interface Handler {
        ObjectNode handle(ObjectNode request, ObjectNode reply, InputStream body);
    }

    private final Path socketPath;
    private final ObjectMapper json;
    private final Handler handler;
    private final ServerSocketChannel server;
    private final UserPrincipal me;
    private volatile boolean closed;

    public ControlServer(Path socketPath, ObjectMapper json, Handler handler) throws IOException {
        this.socketPath = socketPath;
        this.json = json;
        this.handler = handler;
        Files.deleteIfExists(socketPath);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socketPath));
        Files.setPosixFilePermissions(socketPath, PosixFilePermissions.fromString("rw-------"));
        this.me = socketPath.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
    }

    public void start() {
        Threads.start(Threads.daemons(), "wormhole-control", this::acceptLoop);
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (IOException e) {
                return;
            }
            Threads.start(Threads.daemons(), "wormhole-control-conn", () -> serve(c));
        }
    }

    private void serve(SocketChannel c) {
        try (c; InputStream in = new BufferedInputStream(Channels.newInputStream(c), 64 * 1024);
                OutputStream out = Channels.newOutputStream(c)) {
            ObjectNode reply = json.createObjectNode();
            UnixDomainPrincipal who = c.getOption(ExtendedSocketOptions.SO_PEERCRED);
            if (!who.user().equals(me)) {
                reply.put("ok", false).put("error", "forbidden").put("detail", "another user's request");
            } else {
                byte[] line = readLine(in);
                ObjectNode request;
                try {
                    request = (ObjectNode) json.readTree(line);
                } catch (IOException | ClassCastException e) {
                    request = null;
                }
                if (request == null) {
                    reply.put("ok", false).put("error", "bad_request").put("detail", "not a JSON object");
                } else {
                    reply = handler.handle(request, reply, in);
                }
            }
            out.write(json.writeValueAsBytes(reply));
            out.write('\n');
            out.flush();
        } catch (IOException | RuntimeException e) {
            // the client went away; nothing to tell it
        }
    }

    /** Reads up to the first newline and no further, so the bytes after it stay for the handler. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0 || b == '\n') {
                return buf.toByteArray();
            }
            buf.write(b);
            if (buf.size() > MAX_REQUEST) {
                throw new IOException("request too long");
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try (server) {
            Files.deleteIfExists(socketPath); // no new client finds it; the listener closes whatever happens
        } catch (IOException e) {
            // closing anyway; the channel's folder is deleted next
        }
    }
}
