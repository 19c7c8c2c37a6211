/** The local control socket of a running channel: its server, its client, and how {@code send} requests travel over it. */
package wormhole.shell.control;
