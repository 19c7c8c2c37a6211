package wormhole.relayserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A WebSocket client made by hand on a bare socket with a tiny receive buffer: it joins and then
 * never reads again, as a stuck or malicious receiver would.
 */
final class NeverReader implements AutoCloseable {
    private final Socket socket;

    NeverReader(int port, String joinJson) throws IOException {
        socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(5000);
        upgrade(socket, port);
        writeMaskedText(socket.getOutputStream(), joinJson.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a WebSocket upgrade request on a bare socket and reads the answer's headers. */
    static void upgrade(Socket s, int port) throws IOException {
        String key = Base64.getEncoder().encodeToString(new byte[16]);
        OutputStream out = s.getOutputStream();
        out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the upgrade");
            }
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
    }

    private static void writeMaskedText(OutputStream out, byte[] payload) throws IOException {
        if (payload.length > 125) {
            throw new IllegalArgumentException("short messages only");
        }
        byte[] mask = {1, 2, 3, 4};
        out.write(0x81);
        out.write(0x80 | payload.length);
        out.write(mask);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ mask[i % 4]);
        }
        out.flush();
    }

    /**
     * Reads, at last, whatever the relay sent until the connection ends.
     *
     * @return false when it is still open after the socket's 5 s time-out
     */
    boolean readsToTheEnd() throws IOException {
        try {
            socket.getInputStream().transferTo(OutputStream.nullOutputStream());
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
