package wormhole.api.spi;

import java.io.IOException;

/** A frame longer than the link's limit was announced or offered; nothing was allocated for it. */
public final class FrameTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * @param length the announced length
     * @param limit  the link's limit
     */
    public FrameTooLargeException(long length, int limit) {
        super("frame of " + length + " bytes is over the " + limit + "-byte limit");
    }
}
