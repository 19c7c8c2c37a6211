package wormhole.transport.direct;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import wormhole.api.spi.FrameTooLargeException;

/**
 * Reads length-prefixed frames: a 4-byte big-endian unsigned length, then that many bytes.
 *
 * <p>The stream's socket has a read time-out (the stall bound). Between frames a time-out only means
 * the peer is quiet, which is allowed for as long as it likes; once the first byte of a frame has
 * arrived, a time-out means the peer stalled in the middle of a frame, and reading fails. The bound
 * is on silence inside a frame, not on the whole frame, so a 10 MiB frame over a slow link is fine as
 * long as its bytes keep coming.
 *
 * <p>Used by one thread at a time; the only per-frame allocation is the frame itself.
 */
final class FrameReader {
    private static final int PREFIX_LENGTH = 4;

    private final InputStream in;
    private final int maxFrameSize;
    private volatile int stallMillis;
    private final byte[] prefix = new byte[PREFIX_LENGTH];

    /**
     * @param in           a buffered stream whose socket has {@code SO_TIMEOUT} = {@code stallMillis}
     * @param maxFrameSize the largest length accepted
     * @param stallMillis  the socket read time-out, for messages; 0 if there is none
     */
    FrameReader(InputStream in, int maxFrameSize, int stallMillis) {
        this.in = in;
        this.maxFrameSize = maxFrameSize;
        this.stallMillis = stallMillis;
    }

    /** @param millis the socket's new read time-out, for messages */
    void timeout(int millis) {
        this.stallMillis = millis;
    }

    /**
     * @return the next frame
     * @throws EOFException           when the stream ended cleanly between two frames
     * @throws FrameTooLargeException when the announced length is over the limit (nothing allocated)
     * @throws IOException            when the stream ended or stalled inside a frame, or broke
     */
    byte[] read() throws IOException {
        return ((LinkRecord.Data) read(false)).frame();
    }

    /**
     * Reads the next record: a frame, or, when {@code resuming}, a link control record (a length
     * prefix of {@link LinkRecord#CONTROL}). While resuming, quiet between frames is limited too: the
     * other end sends a heartbeat well within the socket's time-out, so a time-out means the
     * connection is gone.
     *
     * @param resuming whether the link has agreed to resume
     * @return the record
     */
    LinkRecord read(boolean resuming) throws IOException {
        int first = readFirstByte(resuming);
        if (first < 0) {
            throw new EOFException("the peer closed the connection");
        }
        prefix[0] = (byte) first;
        readFully(prefix, 1, PREFIX_LENGTH - 1, -1);
        long length = ((long) (prefix[0] & 0xFF) << 24)
                | ((prefix[1] & 0xFF) << 16)
                | ((prefix[2] & 0xFF) << 8)
                | (prefix[3] & 0xFF);
        if (resuming && length == LinkRecord.CONTROL) {
            byte[] control = new byte[LinkRecord.CONTROL_BODY];
            readFully(control, 0, control.length, control.length);
            return LinkRecord.control(control);
        }
        if (length > maxFrameSize) {
            throw new FrameTooLargeException(length, maxFrameSize);
        }
        byte[] frame = new byte[(int) length];
        readFully(frame, 0, frame.length, length);
        return new LinkRecord.Data(frame);
    }

    private int readFirstByte(boolean quietLimited) throws IOException {
        while (true) {
            try {
                return in.read();
            } catch (SocketTimeoutException idle) {
                if (quietLimited) {
                    throw new SocketTimeoutException("nothing arrived for " + stallMillis
                            + " ms, not even a heartbeat: the connection is gone");
                }
                // Quiet between frames: not limited here (the engine closes the link when it must).
            }
        }
    }

    /** @param frameLength the frame's length for messages, or -1 while reading the length prefix */
    private void readFully(byte[] target, int offset, int count, long frameLength) throws IOException {
        int done = 0;
        while (done < count) {
            int n;
            try {
                n = in.read(target, offset + done, count - done);
            } catch (SocketTimeoutException stalled) {
                throw new IOException("the peer stalled in the middle of a frame: nothing arrived for "
                        + stallMillis + " ms after " + where(offset + done, frameLength), stalled);
            }
            if (n < 0) {
                throw new IOException("frame truncated: the peer closed the connection after "
                        + where(offset + done, frameLength));
            }
            done += n;
        }
    }

    private static String where(int received, long frameLength) {
        return frameLength < 0
                ? received + " of the 4 bytes of a length prefix"
                : received + " of " + frameLength + " bytes";
    }
}
