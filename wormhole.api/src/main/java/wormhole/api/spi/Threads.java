package wormhole.api.spi;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * Where agent-wormhole's threads come from. The engine and the transports take every thread they run
 * from one {@link ThreadFactory} (the one given to {@code Wormhole.Builder.threads}, handed to
 * transports in {@link LinkSettings#threads()}), naming it after its job; without one they use
 * {@link #daemons()}. docs/threads.md lists every thread and what it owns.
 */
public final class Threads {
    private static final ThreadFactory DAEMONS = task -> {
        Thread t = new Thread(task);
        t.setDaemon(true);
        return t;
    };

    private Threads() {
    }

    /**
     * The default: plain daemon threads, so an open channel never keeps a process alive.
     *
     * @return the factory
     */
    public static ThreadFactory daemons() {
        return DAEMONS;
    }

    /**
     * @param factory where the threads come from
     * @param name    the name every thread made gets
     * @return a factory that names the threads of {@code factory} (for executors)
     */
    public static ThreadFactory named(ThreadFactory factory, String name) {
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(name, "name");
        return task -> {
            Thread t = factory.newThread(task);
            if (t == null) {
                throw new IllegalStateException("the thread factory refused a thread for " + name);
            }
            t.setName(name);
            return t;
        };
    }

    /**
     * Makes and starts one named thread.
     *
     * @param factory where the thread comes from
     * @param name    its name
     * @param task    what it runs
     * @return the started thread
     */
    public static Thread start(ThreadFactory factory, String name, Runnable task) {
        Thread t = named(factory, name).newThread(task);
        t.start();
        return t;
    }
}
