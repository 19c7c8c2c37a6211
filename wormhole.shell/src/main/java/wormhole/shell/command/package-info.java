/** The sub-commands: {@code host}/{@code connect} (which own a channel), {@code send}/{@code close}/{@code status} (which talk to one), {@code relay}, {@code shell}, {@code setup} and {@code mcp}. */
package wormhole.shell.command;
