package wormhole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * What touches a direct host's port before the real peer does, as a network would: a connect and
 * close, a mebibyte of random bytes, an HTTP GET, a TLS ClientHello, and idle connections that are
 * kept open. Each one must be dropped without a byte in answer.
 */
final class Strays implements AutoCloseable {
    private static final int ANSWER_MILLIS = 15_000;

    private final int port;
    private final List<Socket> idle = new ArrayList<>();

    Strays(int port) {
        this.port = port;
    }

    private Socket open() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(ANSWER_MILLIS);
        return s;
    }

    /** Connects and closes at once, as a port scan or a health probe does. */
    void connectAndClose() throws IOException {
        open().close();
    }

    /** Writes 1 MiB of random bytes (or as much as the host reads before it drops the connection). */
    void randomBytes() throws IOException {
        byte[] noise = new byte[1 << 20];
        new Random(1616).nextBytes(noise);
        try (Socket s = open()) {
            try (OutputStream out = s.getOutputStream()) {
                out.write(noise);
                out.flush();
            } catch (IOException dropped) {
                // the host closed it part-way: what we expect
                return;
            }
        }
    }

    /** Sends an HTTP GET and expects the connection closed without an answer. */
    void httpGet() throws IOException {
        try (Socket s = open()) {
            s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUser-Agent: probe\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            assertDroppedWithoutAnswer(s);
        }
    }

    /** Starts a real TLS handshake (the JDK's ClientHello), which must fail without a ServerHello. */
    void tlsClientHello() throws IOException, NoSuchAlgorithmException {
        try (SSLSocket s = (SSLSocket) SSLContext.getDefault().getSocketFactory().createSocket(open(), "127.0.0.1", port, true)) {
            IOException failed = assertThrows(IOException.class, s::startHandshake);
            if (failed instanceof SocketTimeoutException) {
                throw new AssertionError("the host kept a TLS client waiting", failed);
            }
        }
    }

    /** Opens connections that send nothing and keeps them open until {@link #close()}. */
    void idleConnections(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            idle.add(open());
        }
    }

    /** @return how many of the idle connections the host has dropped (read at end of stream) */
    int idleDropped() throws IOException {
        int dropped = 0;
        for (Socket s : idle) {
            s.setSoTimeout(ANSWER_MILLIS);
            try {
                assertEquals(-1, s.getInputStream().read(), "the host wrote to an idle stray connection");
                dropped++;
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the host kept an idle stray connection open for " + ANSWER_MILLIS + " ms", e);
            } catch (IOException reset) {
                dropped++;
            }
        }
        return dropped;
    }

    private static void assertDroppedWithoutAnswer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        try {
            assertEquals(-1, in.read(), "the host answered a stray connection");
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the host kept a stray connection open for " + ANSWER_MILLIS + " ms", e);
        } catch (IOException reset) {
            // a reset is a drop too
        }
    }

    @Override
    public void close() throws IOException {
        for (Socket s : idle) {
            s.close();
        }
    }
}
