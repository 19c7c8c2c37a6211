package wormhole.shell.interactive;

import java.nio.file.Path;
import java.util.Optional;
import wormhole.shell.cli.Help;

/** One line typed at the {@code wormhole>} prompt, parsed. */
sealed interface ShellCommand {
    /** A blank line. */
    record Nothing() implements ShellCommand {
    }

    /**
     * {@code host [--direct [--port N] [--bind ADDR]] [--relay URL] [--words N | --v1-code]}; {@code v1Code}
     * asks for a Python 0.1.x code (relay only).
     */
    record Host(boolean direct, String bind, int port, Optional<String> relay, int words, boolean v1Code)
            implements ShellCommand {
    }

    /** {@code connect <code>[@host] [--relay URL]}. */
    record Connect(String code, Optional<String> host, Optional<String> relay) implements ShellCommand {
    }

    /** {@code send <text>}: the rest of the line, as typed. */
    record SendText(String text) implements ShellCommand {
    }

    /** {@code send --file <path> [--name NAME]}. */
    record SendFile(Path path, Optional<String> name) implements ShellCommand {
    }

    /** {@code status}. */
    record Status() implements ShellCommand {
    }

    /** {@code use <n>}: make channel n the one {@code send} goes to. */
    record Use(int channel) implements ShellCommand {
    }

    /** {@code close [n]}: the current channel, or channel n. */
    record Close(Optional<Integer> channel) implements ShellCommand {
    }

    /** {@code verify}: show the current channel's verifier. */
    record Verify() implements ShellCommand {
    }

    /** {@code help}. */
    record Help() implements ShellCommand {
    }

    /** {@code exit} or {@code quit}. */
    record Exit() implements ShellCommand {
    }
}
