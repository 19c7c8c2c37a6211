package wormhole.shell;

import java.io.PrintStream;

/** Entry point of the {@code agent-wormhole} command. */
public final class Main {
    private Main() {
    }

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && args[0].equals("--version")) {
            out.println("agent-wormhole " + Version.current());
            return 0;
        }
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.print(Help.text());
            return 0;
        }
        err.println("agent-wormhole: unknown command; see agent-wormhole --help");
        return 2;
    }
}
