package wormhole.shell.mcp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The addresses a peer may try for a direct host, for the {@code connect} strings {@code host} returns. */
final class HostAddresses {
    private HostAddresses() {
    }

    /** @return the bound address, or this machine's IPv4 addresses and loopback when bound to all */
    static List<String> of(String bind) {
        if (!bind.equals("0.0.0.0") && !bind.equals("::") && !bind.equals("[::]")) {
            return List.of(bind);
        }
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
            // no interfaces to list: loopback still works on this machine
        }
        found.add("127.0.0.1");
        return List.copyOf(found);
    }
}
