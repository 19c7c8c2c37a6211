package wormhole.transport.memory;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hosts waiting in this JVM, by rendezvous name and nameplate. It must be shared by every
 * provider instance, since {@link java.util.ServiceLoader} makes a new provider for each wormhole;
 * so there is exactly one, {@link #SHARED}. A nameplate is the smallest free number at that name,
 * and is free again once a peer has claimed its host (a channel is single-use).
 */
final class MemoryRendezvous {
    static final MemoryRendezvous SHARED = new MemoryRendezvous();

    private final Map<String, TreeMap<Integer, MemoryHostedLink>> hosts = new HashMap<>();

    private MemoryRendezvous() {
    }

    synchronized MemoryHostedLink register(String name) {
        TreeMap<Integer, MemoryHostedLink> atName = hosts.computeIfAbsent(name, n -> new TreeMap<>());
        int nameplate = 1;
        while (atName.containsKey(nameplate)) {
            nameplate++;
        }
        MemoryHostedLink hosted = new MemoryHostedLink(this, name, nameplate);
        atName.put(nameplate, hosted);
        return hosted;
    }

    /** @return the host waiting under that nameplate, now removed, or null when none waits */
    synchronized MemoryHostedLink claim(String name, int nameplate) {
        TreeMap<Integer, MemoryHostedLink> atName = hosts.get(name);
        if (atName == null) {
            return null;
        }
        MemoryHostedLink hosted = atName.remove(nameplate);
        if (atName.isEmpty()) {
            hosts.remove(name);
        }
        return hosted;
    }

    synchronized void remove(String name, int nameplate, MemoryHostedLink hosted) {
        TreeMap<Integer, MemoryHostedLink> atName = hosts.get(name);
        if (atName != null && atName.remove(nameplate, hosted) && atName.isEmpty()) {
            hosts.remove(name);
        }
    }
}
