package wormhole.api.spi;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The addresses at which a peer may reach this machine: every IPv4 address of an interface that is
 * up, other than loopback and link-local, then {@code 127.0.0.1}, which only a peer on this machine can
 * use. Upgrade hints and the connect strings of a direct host list them in this order; one place, so
 * both offer the same addresses.
 */
public final class LocalAddresses {
    private LocalAddresses() {
    }

    /** @return this machine's reachable IPv4 addresses, loopback last; never empty */
    public static List<String> ipv4() {
        Set<String> found = new LinkedHashSet<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLinkLocalAddress()) {
                        found.add(a.getHostAddress());
                    }
                }
            }
        } catch (SocketException e) {
            // no interfaces to list: loopback still reaches an end on this machine
        }
        found.add("127.0.0.1");
        return List.copyOf(found);
    }
}
