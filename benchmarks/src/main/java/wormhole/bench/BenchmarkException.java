package wormhole.bench;

/** A benchmark run that failed: a process ended, a line did not come, a command exited non-zero. */
final class BenchmarkException extends Exception {
    private static final long serialVersionUID = 1L;

    BenchmarkException(String message) {
        super(message);
    }
}
