package wormhole.transport.direct;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import wormhole.api.spi.FrameLink;
import wormhole.api.spi.FrameTooLargeException;

/**
 * A {@link FrameLink} over one connected TCP socket. Sending and receiving each have their own lock
 * and may run on two threads at once; {@link #close()} closes the socket, which unblocks both.
 *
 * <p>After a receive fails with anything but a clean end of stream (an oversized length, a truncated
 * or stalled frame), the byte stream is out of step, so every later receive fails too; the same goes
 * for a send that failed half-way.
 */
final class SocketFrameLink implements FrameLink {
    /** Stream buffers: large enough that a frame of 64 KiB or more goes straight to or from the socket. */
    static final int BUFFER_SIZE = 64 * 1024;

    private final Socket socket;
    private final SocketAddress remote;
    private final FrameReader reader;
    private final OutputStream out;
    private final Object receiveLock = new Object();
    private final Object sendLock = new Object();
    private static final byte[] EMPTY = {};

    private final byte[] header = new byte[4]; // guarded by sendLock
    private volatile boolean closed;
    private String receiveFailure; // guarded by receiveLock
    private byte[] received; // a first frame read before the link existed; guarded by receiveLock
    private String sendFailure; // guarded by sendLock

    private SocketFrameLink(Socket socket, FrameReader reader, OutputStream out, byte[] first) {
        this.received = first;
        this.socket = socket;
        this.remote = socket.getRemoteSocketAddress();
        this.reader = reader;
        this.out = out;
    }

    /**
     * Wraps a connected socket, setting {@code TCP_NODELAY}, keep-alive and the stall bound. Closes
     * the socket if that fails.
     *
     * @param socket       a connected socket, owned by the link from now on
     * @param stallTimeout how long a frame that has started may go without a byte; zero for no limit
     */
    static SocketFrameLink over(Socket socket, Duration stallTimeout) throws IOException {
        return over(socket, stallTimeout, null);
    }

    /**
     * Wraps a connected socket whose first frame was already read (by the host's screening).
     *
     * @param first the frame that {@link #receive()} returns first, or null
     */
    static SocketFrameLink over(Socket socket, Duration stallTimeout, byte[] first) throws IOException {
        try {
            int stallMillis = SocketTimeouts.millis(stallTimeout);
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.setSoTimeout(stallMillis);
            FrameReader reader = new FrameReader(
                    new BufferedInputStream(socket.getInputStream(), BUFFER_SIZE), MAX_FRAME_SIZE, stallMillis);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), BUFFER_SIZE);
            return new SocketFrameLink(socket, reader, out, first);
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket, e);
            throw e;
        }
    }

    @Override
    public void send(byte[] frame) throws IOException {
        send(EMPTY, frame);
    }

    /** Writes {@code head} and {@code body} as one frame, each from the caller's array. */
    @Override
    public void send(byte[] head, byte[] body) throws IOException {
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(body, "body");
        long length = (long) head.length + body.length;
        if (length > MAX_FRAME_SIZE) {
            throw new FrameTooLargeException(length, MAX_FRAME_SIZE);
        }
        synchronized (sendLock) {
            checkOpen();
            if (sendFailure != null) {
                throw new IOException("cannot send on a link whose earlier send failed: " + sendFailure);
            }
            header[0] = (byte) (length >>> 24);
            header[1] = (byte) (length >>> 16);
            header[2] = (byte) (length >>> 8);
            header[3] = (byte) length;
            try {
                // A small frame joins the length in the buffer (one write to the socket); a part of
                // BUFFER_SIZE or more is written from the caller's array without a copy.
                out.write(header);
                out.write(head);
                out.write(body);
                out.flush();
            } catch (IOException e) {
                sendFailure = String.valueOf(e.getMessage());
                throw closedOr(e);
            }
        }
    }

    /**
     * Writes one link control record (only on a link both ends agreed to resume).
     *
     * @param type  {@link LinkRecord#RECEIVED} or {@link LinkRecord#GOODBYE}
     * @param count this end's frames received
     */
    void sendControl(byte type, long count) throws IOException {
        byte[] record = LinkRecord.encode(type, count);
        synchronized (sendLock) {
            checkOpen();
            if (sendFailure != null) {
                throw new IOException("cannot send on a link whose earlier send failed: " + sendFailure);
            }
            try {
                out.write(record);
                out.flush();
            } catch (IOException e) {
                sendFailure = String.valueOf(e.getMessage());
                throw closedOr(e);
            }
        }
    }

    /**
     * Limits quiet on this connection: from now on a read that gets nothing for {@code silence}
     * fails, even between frames (the other end sends heartbeats more often).
     */
    void limitQuiet(Duration silence) throws IOException {
        int millis = SocketTimeouts.millis(silence);
        socket.setSoTimeout(millis);
        reader.timeout(millis);
    }

    @Override
    public byte[] receive() throws IOException {
        return ((LinkRecord.Data) receiveRecord(false)).frame();
    }

    /**
     * Receives the next record: always a frame on a plain link; a frame or a control record, with
     * quiet limited, when {@code resuming}.
     */
    LinkRecord receiveRecord(boolean resuming) throws IOException {
        synchronized (receiveLock) {
            checkOpen();
            if (receiveFailure != null) {
                throw new IOException("cannot receive on a link whose earlier receive failed: " + receiveFailure);
            }
            if (received != null) {
                byte[] first = received;
                received = null;
                return new LinkRecord.Data(first);
            }
            try {
                return reader.read(resuming);
            } catch (EOFException e) {
                throw e;
            } catch (IOException e) {
                receiveFailure = String.valueOf(e.getMessage());
                throw closedOr(e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(socket, null);
    }

    @Override
    public String toString() {
        return "direct link to " + remote;
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("the direct link to " + remote + " is closed");
        }
    }

    /** A socket error after a local close says "Socket closed"; say plainly that the link was closed. */
    private IOException closedOr(IOException e) {
        return closed ? new IOException("the direct link to " + remote + " was closed", e) : e;
    }

    static void closeQuietly(Socket socket, Throwable failure) {
        try {
            socket.close();
        } catch (IOException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
    }
}
