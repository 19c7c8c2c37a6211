package wormhole.transport.direct;

/** Starts the transport's daemon threads, which never keep the JVM alive. */
final class Daemons {
    private Daemons() {
    }

    static Thread start(Runnable task, String name) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
