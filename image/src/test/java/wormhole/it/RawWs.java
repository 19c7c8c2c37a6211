package wormhole.it;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client written by hand on a bare socket, for attacks a library client would not make:
 * a connection from any loopback address (127.x.y.z), a half-sent upgrade, a frame header without its
 * payload, a receiver that never reads. Masks with the zero key, which RFC 6455 allows.
 */
final class RawWs implements AutoCloseable {
    final Socket socket;
    private final int port;
    /** When the connection was made ({@link System#nanoTime()}). */
    final long connectedAt;

    private RawWs(Socket socket, int port) {
        this.socket = socket;
        this.port = port;
        this.connectedAt = System.nanoTime();
    }

    /** A TCP connection from {@code from} to the relay, nothing sent yet. */
    static RawWs tcp(String from, int port, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(5000);
        return new RawWs(s, port);
    }

    /** A connection from {@code from} that has finished its upgrade to {@code /ws}. */
    static RawWs upgraded(String from, int port) throws IOException {
        RawWs ws = tcp(from, port, 0);
        ws.upgrade();
        return ws;
    }

    static byte[] upgradeRequest(int port) {
        return ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    void upgrade() throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(upgradeRequest(port));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("closed during the upgrade: " + head);
            }
            head.append((char) b);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + head);
        }
    }

    /** Sends a text message (masked, as a client must). */
    void text(String json) throws IOException {
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        header(1, payload.length);
        socket.getOutputStream().write(payload);
        socket.getOutputStream().flush();
    }

    /** Sends a binary message of {@code length} zero bytes. */
    void binary(int length) throws IOException {
        header(2, length);
        OutputStream out = socket.getOutputStream();
        byte[] chunk = new byte[Math.min(length, 64 * 1024)];
        for (int left = length; left > 0; left -= chunk.length) {
            out.write(chunk, 0, Math.min(left, chunk.length));
        }
        out.flush();
    }

    /** Sends only the header of a frame announcing {@code length} bytes of payload. */
    void header(int opcode, long length) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x80 | opcode);
        if (length < 126) {
            b.write(0x80 | (int) length);
        } else if (length < 65536) {
            b.write(0x80 | 126);
            b.write((int) (length >>> 8) & 0xff);
            b.write((int) length & 0xff);
        } else {
            b.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                b.write((int) (length >>> (8 * i)) & 0xff);
            }
        }
        b.write(new byte[4]);
        socket.getOutputStream().write(b.toByteArray());
        socket.getOutputStream().flush();
    }

    /**
     * Reads the next message from the relay, skipping binary ones.
     *
     * @return its text, or null when the relay closed the connection (close frame, end of stream or reset)
     */
    String nextText() throws IOException {
        InputStream in = socket.getInputStream();
        while (true) {
            int b0;
            try {
                b0 = in.read();
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException reset) {
                return null;
            }
            if (b0 < 0) {
                return null;
            }
            int b1 = in.read();
            long len = b1 & 0x7f;
            if (len == 126) {
                len = (in.read() << 8) | in.read();
            } else if (len == 127) {
                len = 0;
                for (int i = 0; i < 8; i++) {
                    len = (len << 8) | in.read();
                }
            }
            int opcode = b0 & 0x0f;
            if (opcode == 8) {
                return null;
            }
            if (len > 1 << 20) {
                in.skipNBytes(len);
                continue;
            }
            byte[] payload = in.readNBytes((int) len);
            if (opcode == 1) {
                return new String(payload, StandardCharsets.UTF_8);
            }
        }
    }

    /** @return whether the relay ended this connection within the socket's time-out (reading and dropping what it sent) */
    boolean closedByRelay() {
        try {
            InputStream in = socket.getInputStream();
            byte[] sink = new byte[8192];
            while (in.read(sink) >= 0) {
                // what the relay says before it closes
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /**
     * @param deadline a {@link System#nanoTime()} by which the relay must have ended the connection
     * @return whether it did (reading and dropping what it sent)
     */
    boolean closedByRelayBefore(long deadline) throws IOException {
        socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        return closedByRelay();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing an attacker's socket: nothing to do
        }
    }
}
