/** The {@code agent-wormhole} command: scripted sub-commands, the interactive shell and the relay launcher. */
module wormhole.shell {
    requires wormhole.api;
    requires wormhole.relayserver;
    requires com.fasterxml.jackson.databind;
    requires org.jline.reader;
    requires org.jline.terminal;
    requires jdk.net;
    // jline handles Ctrl-C and window resizes through sun.misc.Signal; without this module in the
    // image, Ctrl-C at the shell's prompt would kill the process instead of cancelling the line.
    requires jdk.unsupported;
}
