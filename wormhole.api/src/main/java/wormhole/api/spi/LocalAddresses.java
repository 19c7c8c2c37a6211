package wormhole.api.spi;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The addresses at which a peer may reach this machine: every IPv4 address of an interface that is
 * up, other than loopback and link-local, then {@code 127.0.0.1}, which only a peer on this machine can
 * use; and its global IPv6 addresses. Upgrade hints and the connect strings of a direct host list
 * them in this order; one place, so both offer the same addresses.
 */
public final class LocalAddresses {
    private LocalAddresses() {
    }

    /** @return this machine's reachable IPv4 addresses, loopback last; never empty */
    public static List<String> ipv4() {
        Set<String> found = new LinkedHashSet<>();
        for (InetAddress a : ofInterfacesUp()) {
            if (a instanceof Inet4Address) {
                found.add(a.getHostAddress());
            }
        }
        found.add("127.0.0.1");
        return List.copyOf(found);
    }

    /**
     * @return this machine's IPv6 addresses other than loopback and link-local (which would need the
     *         peer's interface name), without brackets or scope; possibly none
     */
    public static List<String> ipv6() {
        Set<String> found = new LinkedHashSet<>();
        for (InetAddress a : ofInterfacesUp()) {
            if (a instanceof Inet6Address) {
                String text = a.getHostAddress();
                int scope = text.indexOf('%');
                found.add(scope < 0 ? text : text.substring(0, scope));
            }
        }
        return List.copyOf(found);
    }

    /** The addresses of the interfaces that are up, other than loopback and link-local ones. */
    private static List<InetAddress> ofInterfacesUp() {
        List<InetAddress> found = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (!a.isLinkLocalAddress() && !a.isLoopbackAddress() && !a.isAnyLocalAddress()) {
                        found.add(a);
                    }
                }
            }
        } catch (SocketException e) {
            // no interfaces to list: loopback still reaches an end on this machine
        }
        return found;
    }
}
