package wormhole.shell.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import wormhole.api.ChannelCode;
import wormhole.shell.cli.Cli;
import wormhole.shell.cli.ParsedArgs;
import wormhole.shell.cli.UsageException;
import wormhole.shell.output.JsonTrees;
import wormhole.shell.runtime.ChannelDir;
import wormhole.shell.runtime.RuntimeDir;

/** Finds this user's channel folders by code and role. */
final class LocalChannels {
    /** A channel folder with what its state file says. */
    public record Found(ChannelDir dir, ObjectNode state) {
        String role() {
            return state.path("role").asText("");
        }

        boolean alive() {
            long pid = state.path("pid").asLong(-1);
            return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    private LocalChannels() {
    }

    public static List<Found> all(Cli cli, RuntimeDir runtime) throws IOException {
        List<Found> found = new ArrayList<>();
        for (ChannelDir d : runtime.channels()) {
            Optional<ObjectNode> s = d.readState();
            found.add(new Found(d, s.orElseGet(JsonTrees::object)));
        }
        return found;
    }

    /** The channels of {@code code}, optionally of one role. */
    public static List<Found> matching(Cli cli, RuntimeDir runtime, ChannelCode code, Optional<String> role) throws IOException {
        String key = runtime.codeKey(code);
        List<Found> out = new ArrayList<>();
        for (Found f : all(cli, runtime)) {
            if (f.state().path("code_key").asText("").equals(key) && role.map(r -> r.equals(f.role())).orElse(true)) {
                out.add(f);
            }
        }
        return out;
    }

    /** The code typed for send or close, without any {@code @host}. */
    public static ChannelCode code(String typed) throws UsageException {
        int at = typed.lastIndexOf('@');
        return ChannelCommands.parse(at < 0 ? typed : typed.substring(0, at));
    }

    public static Optional<String> role(ParsedArgs args) throws UsageException {
        Optional<String> role = args.value("--role");
        if (role.isPresent() && !role.get().equals("host") && !role.get().equals("peer")) {
            throw new UsageException("--role is host or peer");
        }
        return role;
    }
}
