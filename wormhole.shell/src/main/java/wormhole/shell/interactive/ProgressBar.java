package wormhole.shell.interactive;

import java.util.Locale;

/** A one-line text progress bar for large items arriving at the shell, e.g. {@code [######....] 61% 640/1049 MB}. */
final class ProgressBar {
    static final int WIDTH = 20;

    private ProgressBar() {
    }

    /**
     * @param bytes how much arrived
     * @param size  the announced size, or a negative number when unknown
     * @return the bar, or just the amount when the size is unknown
     */
    static String of(long bytes, long size) {
        if (size <= 0) {
            return megabytes(bytes) + " MB so far";
        }
        long done = Math.min(bytes, size);
        int filled = (int) (done * WIDTH / size);
        int percent = (int) (done * 100 / size);
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + percent + "% "
                + megabytes(done) + "/" + megabytes(size) + " MB";
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%d", Math.round(bytes / 1e6));
    }
}
