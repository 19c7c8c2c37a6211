package wormhole.relayserver;

import java.util.Map;

/**
 * A snapshot of what a running relay has done, as served on the admin endpoint's {@code /stats}.
 *
 * @param connectionsOpen  WebSocket connections open now
 * @param channelsOpen     channels open now (waiting, paired or waiting for a side to resume)
 * @param channelsPaired   channels open now whose two sides have both joined
 * @param channelsTotal    channels opened since start
 * @param framesForwarded  binary frames written to a receiver since start (replays included)
 * @param bytesForwarded   bytes of those frames
 * @param resumes          successful resumes since start
 * @param bufferedBytes    bytes of frames held now across all channels
 * @param laneFrames       with {@code --redis}: frames forwarded in memory between two sides held by
 *                         this instance (a lane), not through Redis
 * @param lanesOpened      with {@code --redis}: lanes opened since start
 * @param laneHandoffs     with {@code --redis}: lanes whose frames in memory were handed over to Redis
 *                         (a side dropped, moved to another instance or left, or the instance stopped)
 * @param refusals         refusals since start, by error code (see the protocol document)
 */
public record RelayStats(
        int connectionsOpen,
        int channelsOpen,
        long channelsPaired,
        long channelsTotal,
        long framesForwarded,
        long bytesForwarded,
        long resumes,
        long bufferedBytes,
        long laneFrames,
        long lanesOpened,
        long laneHandoffs,
        Map<String, Long> refusals) {

    /** Copies the refusals map. */
    public RelayStats {
        refusals = Map.copyOf(refusals);
    }
}
