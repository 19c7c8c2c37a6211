package wormhole.shell.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The addresses a peer may try for a direct host, for the {@code code@address} connect strings that
 * {@code host} prints (the command line's channel line, the MCP tool's result): this machine's own
 * addresses first, loopback last, since a peer on another machine can use only the former.
 */
public final class HostAddresses {
    private HostAddresses() {
    }

    /** @return the bound address, or this machine's IPv4 addresses and loopback when bound to all */
    public static List<String> of(String bind) {
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
