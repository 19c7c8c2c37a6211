package wormhole.shell.cli;

/**
 * The exit statuses of every command; documented in {@code --help} and the README, so an agent can
 * act on them without parsing text.
 */
public enum ExitCode {
    /** The command did what was asked; a channel ended as intended (closed by either end or a signal). */
    OK(0, "success; a channel that ended as intended"),
    /** Something failed that no other status describes (a disk error, a broken frame). */
    FAILED(1, "other failure"),
    /** The command line was wrong. */
    USAGE(2, "bad usage"),
    /** The key exchange failed: most likely a wrong code. */
    HANDSHAKE_FAILED(3, "handshake failed (wrong code?)"),
    /** The host, relay or rendezvous could not be reached or bound. */
    CONNECTION_FAILED(4, "connection failed"),
    /** The channel ended because the other end vanished. */
    DISCONNECTED(5, "peer disconnected"),
    /** The channel ended after the inactivity time-out. */
    TIMEOUT(6, "inactivity time-out"),
    /** No running channel matches the code (send, close). */
    NO_CHANNEL(7, "no such channel"),
    /** The channel has not finished its handshake yet (send). */
    NOT_CONNECTED(8, "channel not connected yet"),
    /** The item is larger than the peer can take (send). */
    TOO_LARGE(9, "too large for the peer"),
    /** The file to send could not be read (send). */
    UNREADABLE(10, "file unreadable"),
    /** The item was sent, but the peer did not confirm it within {@code --timeout} (send). */
    ACK_TIMEOUT(11, "sent, but no receipt from the peer in time"),
    /** The peer received the item and refused it, e.g. a directory with a hostile entry (send). */
    REFUSED(12, "refused by the peer");

    private final int status;
    private final String meaning;

    ExitCode(int status, String meaning) {
        this.status = status;
        this.meaning = meaning;
    }

    /** @return the process exit status */
    public int status() {
        return status;
    }

    /** @return what it means, for {@code --help} */
    public String meaning() {
        return meaning;
    }
}
