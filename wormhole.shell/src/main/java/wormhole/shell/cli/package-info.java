/** The command line itself: every sub-command's declaration, argument parsing, {@code --help}, exit statuses and the streams a command works with. */
package wormhole.shell.cli;
