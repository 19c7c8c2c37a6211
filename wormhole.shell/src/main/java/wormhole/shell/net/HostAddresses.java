package wormhole.shell.net;

import java.util.List;
import wormhole.api.spi.LocalAddresses;

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
        return LocalAddresses.ipv4();
    }
}
