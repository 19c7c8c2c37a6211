package wormhole.api.internal;

import java.util.concurrent.ThreadFactory;

/** The engine's threads are daemons, so a channel left open never keeps a process alive. */
final class Daemons {
    private Daemons() {
    }

    /** @return a new, unstarted daemon thread */
    static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** @return a factory of daemon threads that all bear {@code name} */
    static ThreadFactory named(String name) {
        return r -> thread(r, name);
    }
}
