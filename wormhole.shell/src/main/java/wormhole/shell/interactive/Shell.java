package wormhole.shell.interactive;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import wormhole.api.Channel;
import wormhole.api.ChannelCode;
import wormhole.api.Role;
import wormhole.api.Wormhole;
import wormhole.api.WormholeException;
import wormhole.shell.net.HostAddresses;
import wormhole.shell.output.Sanitizer;

/**
 * The interactive {@code wormhole>} shell: opens channels in this process, shows what arrives above
 * the prompt, and sends what is typed. Several channels may be open; {@code send} goes to the
 * current one, which the prompt shows. Leaving (exit, Ctrl-D, end of input, or a signal) closes
 * every channel and deletes its files.
 */
public final class Shell {
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final ShellSupport support;
    private final ShellIo io;
    private final ChannelTable channels;

    private Shell(ShellSupport support, ShellIo io) {
        this.support = support;
        this.io = io;
        this.channels = new ChannelTable(io);
    }

    /**
     * Runs the shell until the user leaves: with jline on a terminal, or reading plain lines when
     * standard input is not a terminal.
     *
     * @param support what the shell borrows from the command-line tool
     * @param in      standard input
     * @param out     standard output
     * @return the exit status (0)
     */
    public static int run(ShellSupport support, InputStream in, PrintStream out) {
        Shell[] self = new Shell[1];
        try (ShellIo io = Terminals.open(in, out, () -> self[0] == null ? List.of() : self[0].channels.numbers())) {
            self[0] = new Shell(support, io);
            return self[0].loop();
        }
    }

    int loop() {
        Thread onSignal = new Thread(this::closeAll, "wormhole-shell-exit");
        Runtime.getRuntime().addShutdownHook(onSignal);
        io.show("agent-wormhole shell: type help for the commands, exit or Ctrl-D to leave");
        while (true) {
            ShellIo.Input input = io.read(prompt());
            if (input instanceof ShellIo.Input.End) {
                break;
            }
            if (input instanceof ShellIo.Input.Line line && !execute(line.text())) {
                break;
            }
        }
        closeAll();
        try {
            Runtime.getRuntime().removeShutdownHook(onSignal);
        } catch (IllegalStateException alreadyExiting) {
            // the hook runs anyway and finds nothing left to close
        }
        return 0;
    }

    private String prompt() {
        int current = channels.currentNumber();
        return current == 0 ? "wormhole> " : "wormhole [" + current + "]> ";
    }

    /** Runs one line; returns false to leave. Every failure is one line, never a stack trace. */
    boolean execute(String line) {
        try {
            ShellCommand command = ShellParser.parse(line);
            if (command instanceof ShellCommand.Exit) {
                return false;
            }
            run(command);
        } catch (ShellInputException e) {
            io.show("error: " + e.getMessage());
        } catch (RuntimeException e) {
            io.show("error: " + Sanitizer.inline(e.toString()));
        }
        return true;
    }

    private void run(ShellCommand command) throws ShellInputException {
        if (command instanceof ShellCommand.Host h) {
            host(h);
        } else if (command instanceof ShellCommand.Connect c) {
            connect(c);
        } else if (command instanceof ShellCommand.SendText t) {
            sendText(t.text());
        } else if (command instanceof ShellCommand.SendFile f) {
            sendFile(f.path(), f.name());
        } else if (command instanceof ShellCommand.Status) {
            status();
        } else if (command instanceof ShellCommand.Use u) {
            channels.use(u.channel());
        } else if (command instanceof ShellCommand.Close c) {
            channels.get(c.channel()).closeAndWait(CLOSE_WAIT);
        } else if (command instanceof ShellCommand.Verify) {
            verify();
        } else if (command instanceof ShellCommand.Help) {
            ShellHelp.lines(io.historyNote()).forEach(io::show);
        }
    }

    private void host(ShellCommand.Host typed) throws ShellInputException {
        boolean noRelay = !typed.direct() && typed.relay().isEmpty() && !typed.v1Code() && !support.relayConfigured();
        ShellCommand.Host h = noRelay
                ? new ShellCommand.Host(true, typed.bind(), typed.port(), typed.relay(), typed.words(), false)
                : typed;
        URI rendezvous = h.direct() ? support.directHost(h.bind(), h.port()) : support.relay(h.relay());
        OpenChannel oc = newChannel(Role.HOST, h.direct() ? "direct" : "relay");
        try {
            Wormhole wormhole = builder(oc).codeWords(h.words()).build();
            Channel channel = h.v1Code() ? wormhole.hostLegacy(rendezvous, oc) : wormhole.host(rendezvous, oc);
            String code = channel.code().text();
            String join = h.direct()
                    ? "connect " + code + "@" + (h.bind().equals("0.0.0.0") || h.bind().equals("::") ? "<this machine's address>" : h.bind())
                    : "connect " + code;
            List<String> first = new ArrayList<>();
            if (noRelay) {
                first.add("no relay configured: hosting directly on this network");
            }
            first.add("hosting " + (h.direct() ? "directly" : "through the relay") + "; code " + code);
            first.add("the peer types: " + join);
            if (h.direct() && (h.bind().equals("0.0.0.0") || h.bind().equals("::"))) {
                first.add("this machine's addresses: " + String.join(", ", HostAddresses.of(h.bind())));
            }
            if (h.v1Code()) {
                first.add("warning: a Python 0.1.x code has no number; the relay sees the whole code and could learn the password");
            }
            oc.opened(channel, first);
            if (h.direct()) {
                oc.show(oc.mark("waiting for the peer"));
            }
        } catch (WormholeException e) {
            failed(oc, "could not host: " + e.getMessage());
        }
    }

    private void connect(ShellCommand.Connect c) throws ShellInputException {
        ChannelCode code;
        try {
            code = ChannelCode.parse(c.code());
        } catch (IllegalArgumentException e) {
            throw new ShellInputException("not a channel code: " + e.getMessage());
        }
        URI rendezvous;
        if (c.host().isPresent()) {
            if (code.legacy()) {
                throw new ShellInputException("a direct code starts with the host's port number");
            }
            rendezvous = support.directPeer(c.host().get(), code.nameplate());
        } else {
            rendezvous = support.relay(c.relay());
        }
        OpenChannel oc = newChannel(Role.PEER, c.host().isPresent() ? "direct" : "relay");
        try {
            Channel channel = builder(oc).build().connect(rendezvous, code, oc);
            List<String> first = new ArrayList<>();
            first.add("connecting " + (c.host().isPresent() ? "directly" : "through the relay"));
            if (code.legacy() && c.host().isEmpty()) {
                first.add("warning: a code without a number is the legacy relay form; the relay sees the whole code");
            }
            oc.opened(channel, first);
        } catch (WormholeException e) {
            failed(oc, "could not connect: " + e.getMessage());
        }
    }

    private Wormhole.Builder builder(OpenChannel oc) {
        return support.wormhole().inbox(oc.inbox());
    }

    private OpenChannel newChannel(Role role, String mode) throws ShellInputException {
        ShellSupport.Folder folder;
        try {
            folder = support.newFolder();
        } catch (IOException e) {
            throw new ShellInputException("the runtime folder is unusable: " + e.getMessage());
        }
        return channels.add(role, mode, folder);
    }

    private void failed(OpenChannel oc, String message) {
        oc.deleteFolder();
        channels.remove(oc);
        io.show("error: " + Sanitizer.inline(message));
    }

    private void sendText(String text) throws ShellInputException {
        OpenChannel oc = channels.current();
        try {
            oc.channel().sendText(text);
            for (String l : Sanitizer.lines(text)) {
                io.show("[" + oc.number() + "] sent: " + l);
            }
        } catch (WormholeException e) {
            throw new ShellInputException("[" + oc.number() + "] not sent: " + e.getMessage());
        }
    }

    private void sendFile(Path path, Optional<String> name) throws ShellInputException {
        OpenChannel oc = channels.current();
        Path file = path.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ShellInputException("cannot read the file " + Sanitizer.inline(file.toString()));
        }
        String shown = name.orElse(String.valueOf(file.getFileName()));
        try {
            long size = Files.size(file);
            oc.channel().sendFile(file, shown);
            io.show("[" + oc.number() + "] sent: file " + Sanitizer.inline(shown) + " (" + size + " bytes)");
        } catch (IOException e) {
            throw new ShellInputException("cannot read the file " + Sanitizer.inline(file.toString()));
        } catch (WormholeException e) {
            throw new ShellInputException("[" + oc.number() + "] not sent: " + e.getMessage());
        }
    }

    private void status() {
        List<String> lines = channels.describe();
        (lines.isEmpty() ? List.of("no open channels") : lines).forEach(io::show);
    }

    private void verify() throws ShellInputException {
        OpenChannel oc = channels.current();
        Optional<String> verifier = oc.channel().verifier();
        io.show(oc.mark(verifier.map(v -> "verifier " + v + ": the same on both ends means no one is in the middle")
                .orElse("not connected yet, so there is no verifier")));
    }

    /** Closes every channel (a goodbye to each peer), waits briefly for each to end, and deletes every folder. */
    private void closeAll() {
        LocalChannel.closeAll(channels.all(), CLOSE_WAIT);
    }
}
