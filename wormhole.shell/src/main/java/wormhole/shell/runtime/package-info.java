/** The per-user runtime folder and the private folder of each channel in it. */
package wormhole.shell.runtime;
