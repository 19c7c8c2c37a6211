package wormhole.shell.interactive;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import wormhole.api.Wormhole;

/**
 * What the interactive shell borrows from the command-line tool: private channel folders in the
 * runtime folder, the rendezvous addresses the scripted commands use, and a configured builder.
 * The tool implements it, so the shell needs no access to the tool's internals.
 */
public interface ShellSupport {
    /** One channel's private folder; received files go to its inbox, and it is deleted when the channel ends. */
    interface Folder {
        /** @return where received files and long texts are saved */
        Path inbox();

        /** Deletes the folder and everything in it; safe to call more than once. */
        void delete() throws IOException;
    }

    /**
     * @return a new, empty, owner-only channel folder
     * @throws IOException when the runtime folder is unusable
     */
    Folder newFolder() throws IOException;

    /**
     * @param bind the address to listen on
     * @param port the port, 0 for any free one
     * @return the direct host's rendezvous
     * @throws ShellInputException when the address is not usable
     */
    URI directHost(String bind, int port) throws ShellInputException;

    /**
     * @param host      the host's name or address
     * @param nameplate the code's nameplate (the host's port)
     * @return the direct peer's target
     * @throws ShellInputException when the host or port is not usable
     */
    URI directPeer(String host, String nameplate) throws ShellInputException;

    /**
     * @param flag a relay URL typed on the line, if any
     * @return the relay's URL from the flag, the environment or the config file
     * @throws ShellInputException when none is configured or it is malformed
     */
    URI relay(Optional<String> flag) throws ShellInputException;

    /**
     * @return whether a relay is configured (the environment or the config file), so that a plain
     *         {@code host} uses it; without one, {@code host} hosts directly
     */
    default boolean relayConfigured() {
        return true;
    }

    /** @return a builder with this build's implementation name and default time-outs */
    Wormhole.Builder wormhole();
}
