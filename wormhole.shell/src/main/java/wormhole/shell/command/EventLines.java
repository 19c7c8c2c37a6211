package wormhole.shell.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Optional;
import wormhole.api.ChannelEvent;
import wormhole.api.Role;
import wormhole.shell.output.JsonOut;

/**
 * The agent contract's JSON line for each channel event: the one place that decides what
 * {@code host} and {@code connect} print while a channel runs. The ending is printed by the runner,
 * after the channel's files are gone, so it has no line here.
 *
 * @param out  the writer whose lines these are
 * @param role which end prints them
 */
record EventLines(JsonOut out, Role role) {

    /** @return the line for {@code event}, or empty for the ending */
    Optional<ObjectNode> of(ChannelEvent event) {
        if (event instanceof ChannelEvent.Link l) {
            return Optional.of(out.status(l.event().name().toLowerCase(Locale.ROOT)).put("role", role.wireName()));
        } else if (event instanceof ChannelEvent.Connected c) {
            ObjectNode line = out.status("connected").put("role", role.wireName()).put("verifier", c.verifier());
            var features = line.putArray("features");
            c.peerFeatures().stream().map(f -> f.wireName()).sorted().forEach(features::add);
            if (!c.peerName().isEmpty()) {
                line.put("peer", c.peerName());
            }
            line.put("upgrade", c.upgrade());
            return Optional.of(line);
        } else if (event instanceof ChannelEvent.TextReceived t) {
            return Optional.of(out.object("text").put("body", t.body()));
        } else if (event instanceof ChannelEvent.TextSaved t) {
            return Optional.of(out.object("text").put("saved_to", t.savedTo().toString()).put("size", t.size()));
        } else if (event instanceof ChannelEvent.FileReceived f) {
            return Optional.of(out.object("file").put("name", f.name()).put("saved_to", f.savedTo().toString())
                    .put("size", f.size()));
        } else if (event instanceof ChannelEvent.DirectoryReceived d) {
            return Optional.of(out.object("file").put("name", d.name()).put("saved_to", d.savedTo().toString())
                    .put("kind", "directory").put("size", d.size()).put("files", d.files()));
        } else if (event instanceof ChannelEvent.Progress p) {
            ObjectNode line = out.object("progress").put("name", p.name()).put("bytes", p.bytes());
            if (p.size() >= 0) {
                line.put("size", p.size());
            } else {
                line.putNull("size");
            }
            return Optional.of(line);
        } else if (event instanceof ChannelEvent.PathChanged p) {
            return Optional.of(out.status("path").put("role", role.wireName()).put("path", p.path()).put("detail", p.detail()));
        } else if (event instanceof ChannelEvent.Refused r) {
            return Optional.of(out.object("error").put("error", "refused").put("name", r.name()).put("detail", r.detail()));
        }
        return Optional.empty();
    }
}
