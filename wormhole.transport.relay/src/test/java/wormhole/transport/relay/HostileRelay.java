package wormhole.transport.relay;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scripted relay on 127.0.0.1, which may break the rules: a raw WebSocket server (RFC 6455 by hand,
 * so it can write any frame header, such as one announcing a gigabyte it never sends) that takes one
 * client and runs a script against it. It records the client's messages and notices when the client
 * closes the connection.
 */
final class HostileRelay implements AutoCloseable {
    /** What the relay does once the WebSocket is open. */
    @FunctionalInterface
    interface Script {
        void run(HostileRelay relay) throws Exception;
    }

    private static final Pattern KEY = Pattern.compile("(?im)^Sec-WebSocket-Key:\\s*(\\S+)\\s*$");

    private final ServerSocket server;
    private final Thread thread;
    private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();
    private final CountDownLatch clientGone = new CountDownLatch(1);
    private final CountDownLatch go = new CountDownLatch(1);
    private volatile Socket socket;
    private volatile OutputStream out;
    private volatile Exception scriptFailure;

    private HostileRelay(Script script) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> serve(script), "hostile-relay");
        thread.setDaemon(true);
        thread.start();
    }

    static HostileRelay start(Script script) throws IOException {
        return new HostileRelay(script);
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + server.getLocalPort());
    }

    private void serve(Script script) {
        try (Socket s = server.accept()) {
            socket = s;
            InputStream in = s.getInputStream();
            out = s.getOutputStream();
            handshake(in);
            Thread reader = new Thread(() -> readFrames(in), "hostile-relay-reader");
            reader.setDaemon(true);
            reader.start();
            script.run(this);
            // keep the socket open until the client leaves or the test ends
            clientGone.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            scriptFailure = e;
        }
    }

    private void handshake(InputStream in) throws IOException, NoSuchAlgorithmException {
        StringBuilder request = new StringBuilder();
        while (!request.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the client left during the handshake");
            }
            request.append((char) b);
        }
        Matcher m = KEY.matcher(request);
        if (!m.find()) {
            throw new IOException("no Sec-WebSocket-Key");
        }
        byte[] digest = MessageDigest.getInstance("SHA-1")
                .digest((m.group(1) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + Base64.getEncoder().encodeToString(digest) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads the client's frames (masked), keeps its text messages, and notes when it leaves. */
    private void readFrames(InputStream raw) {
        DataInputStream in = new DataInputStream(raw);
        try {
            while (true) {
                int b0 = in.readUnsignedByte();
                int b1 = in.readUnsignedByte();
                long length = b1 & 0x7f;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] mask = new byte[(b1 & 0x80) != 0 ? 4 : 0];
                in.readFully(mask);
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                for (int i = 0; i < payload.length && mask.length == 4; i++) {
                    payload[i] ^= mask[i % 4];
                }
                int opcode = b0 & 0x0f;
                if (opcode == 1) {
                    texts.add(new String(payload, StandardCharsets.UTF_8));
                } else if (opcode == 2) {
                    binaries.add(payload);
                } else if (opcode == 8) {
                    break;
                }
            }
        } catch (IOException e) {
            // the client closed or cut the connection
        }
        clientGone.countDown();
    }

    /** @return the client's next text message (its join, an ack, ...) */
    String nextText(long seconds) throws InterruptedException {
        String t = texts.poll(seconds, TimeUnit.SECONDS);
        if (t == null) {
            throw new AssertionError("the client sent no text message within " + seconds + " s");
        }
        return t;
    }

    /** @return the client's next binary message */
    byte[] nextBinary(long seconds) throws InterruptedException {
        byte[] b = binaries.poll(seconds, TimeUnit.SECONDS);
        if (b == null) {
            throw new AssertionError("the client sent no binary message within " + seconds + " s");
        }
        return b;
    }

    /** Lets a script that waits in {@link #awaitGo} go on (the test has done its part). */
    void go() {
        go.countDown();
    }

    void awaitGo() throws InterruptedException {
        if (!go.await(20, TimeUnit.SECONDS)) {
            throw new AssertionError("the test never said go");
        }
    }

    /** @return whether the client closed or cut the connection within the time */
    boolean awaitClientGone(long seconds) throws InterruptedException {
        return clientGone.await(seconds, TimeUnit.SECONDS);
    }

    boolean clientGone() {
        return clientGone.getCount() == 0;
    }

    void text(String json) throws IOException {
        frame(1, json.getBytes(StandardCharsets.UTF_8));
    }

    void binary(byte[] payload) throws IOException {
        frame(2, payload);
    }

    private synchronized void frame(int opcode, byte[] payload) throws IOException {
        header(opcode, true, payload.length);
        out.write(payload);
        out.flush();
    }

    /** Writes bytes as they are (a payload after {@link #header}). */
    synchronized void raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Writes a frame header (server frames are not masked) and nothing more. */
    synchronized void header(int opcode, boolean fin, long length) throws IOException {
        out.write((fin ? 0x80 : 0) | opcode);
        if (length < 126) {
            out.write((int) length);
        } else if (length <= 0xffff) {
            out.write(126);
            out.write((int) (length >>> 8));
            out.write((int) length);
        } else {
            out.write(127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (length >>> shift));
            }
        }
        out.flush();
    }

    /** The welcome of a protocol-2 relay with small limits. */
    static String welcome(String role, int maxFrameBytes, long bufferBytes) {
        return "{\"type\":\"welcome\",\"role\":\"" + role + "\",\"token\":\"t0ken\",\"nameplate\":\"7\",\"limits\":{"
                + "\"max_frame_bytes\":" + maxFrameBytes + ",\"max_message_bytes\":" + (maxFrameBytes + 64)
                + ",\"frames_per_window\":1000,\"bytes_per_window\":1073741824,\"window_ms\":60000,"
                + "\"inactivity_ms\":3600000,\"buffer_bytes\":" + bufferBytes + ",\"resume_grace_ms\":60000}}";
    }

    /** @return what went wrong in the script, if anything (for assertion messages) */
    Exception scriptFailure() {
        return scriptFailure;
    }

    @Override
    public void close() throws IOException {
        clientGone.countDown();
        go.countDown();
        Socket s = socket;
        if (s != null) {
            s.close();
        }
        server.close();
    }
}
