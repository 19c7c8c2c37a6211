/** The {@code agent-wormhole} command: scripted sub-commands, the interactive shell and the relay launcher. */
module wormhole.shell {
    requires wormhole.api;
    requires wormhole.relayserver;
    requires com.fasterxml.jackson.databind;
    requires org.jline.reader;
    requires org.jline.terminal;
    requires jdk.net;
}
