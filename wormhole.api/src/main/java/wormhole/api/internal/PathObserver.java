package wormhole.api.internal;

/** Hears when a {@link PathLink}'s frames change path, or an {@link Upgrade} gives up. */
@FunctionalInterface
interface PathObserver {
    /**
     * @param path   {@code direct} or {@code relay}
     * @param detail why, for people
     */
    void pathChanged(String path, String detail);
}
