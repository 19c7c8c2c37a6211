/** What reaches a terminal: JSON lines with every control, format and separator character escaped, and plain text made safe to show. */
package wormhole.shell.output;
