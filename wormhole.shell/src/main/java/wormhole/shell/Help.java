package wormhole.shell;

/** The text of {@code agent-wormhole --help}. */
final class Help {
    private Help() {
    }

    static String text() {
        return """
                agent-wormhole: hand text, files and secrets between two agent sessions, end to end encrypted.

                Usage:
                  agent-wormhole --version
                  agent-wormhole --help
                """;
    }
}
