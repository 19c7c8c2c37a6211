package wormhole.shell.interactive;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import wormhole.api.Role;

/**
 * The shell's open channels by number, and the current one (where {@code send} goes, shown in the
 * prompt). A channel leaves the table when it ends or fails to open; when the current one leaves,
 * the newest other channel becomes current. Safe from any thread.
 */
final class ChannelTable {
    private final ShellIo io;
    private final TreeMap<Integer, OpenChannel> open = new TreeMap<>();
    private int next = 1;
    private int current;

    ChannelTable(ShellIo io) {
        this.io = io;
    }

    /** @return the current channel's number, 0 when none is open */
    synchronized int currentNumber() {
        return current;
    }

    synchronized List<Integer> numbers() {
        return List.copyOf(open.keySet());
    }

    /** @return every open channel */
    synchronized List<OpenChannel> all() {
        return List.copyOf(open.values());
    }

    /** Adds a channel about to open under the next number and makes it current. */
    synchronized OpenChannel add(Role role, String mode, ShellSupport.Folder folder) {
        OpenChannel oc = new OpenChannel(next++, role, mode, folder, io, this::ended);
        open.put(oc.number(), oc);
        current = oc.number();
        return oc;
    }

    /** Removes a channel that never opened. */
    synchronized void remove(OpenChannel oc) {
        open.remove(oc.number());
        if (current == oc.number()) {
            current = open.isEmpty() ? 0 : open.lastKey();
        }
    }

    /** @return the current channel */
    synchronized OpenChannel current() throws ShellInputException {
        OpenChannel oc = open.get(current);
        if (oc == null) {
            throw new ShellInputException("no open channel: host or connect first");
        }
        return oc;
    }

    /** @return channel {@code number}, or the current one */
    synchronized OpenChannel get(Optional<Integer> number) throws ShellInputException {
        OpenChannel oc = open.get(number.orElse(current));
        if (oc == null) {
            throw new ShellInputException(number.isPresent() ? "no channel " + number.get() + "; status lists them"
                    : "no open channel to close");
        }
        return oc;
    }

    /** Makes channel {@code number} the current one. */
    void use(int number) throws ShellInputException {
        synchronized (this) {
            if (!open.containsKey(number)) {
                throw new ShellInputException("no channel " + number + "; status lists them");
            }
            current = number;
        }
        io.show("[" + number + "] * send now goes to channel " + number);
    }

    /** @return one line per open channel, the current one marked */
    List<String> describe() {
        List<String> lines = new ArrayList<>();
        synchronized (this) {
            open.values().forEach(oc -> lines.add(oc.describe(oc.number() == current)));
        }
        return lines;
    }

    private void ended(OpenChannel oc) {
        int switched;
        synchronized (this) {
            boolean wasCurrent = current == oc.number();
            remove(oc);
            switched = wasCurrent ? current : 0;
        }
        if (switched != 0) {
            io.show("[" + switched + "] * send now goes to channel " + switched);
        }
    }
}
