/**
 * Building blocks for transports that carry a channel across dropped connections (the relay client
 * and direct TCP both use them): a numbered log of sent frames kept until the other end confirms
 * them, and the schedule on which a receiver confirms what it took. Neither knows about sockets.
 */
package wormhole.api.spi.resume;
