package wormhole.relayserver.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The relay's counters; cheap to bump from any thread. */
final class Counters {
    final LongAdder channelsTotal = new LongAdder();
    final AtomicLong channelsPaired = new AtomicLong();
    final LongAdder framesForwarded = new LongAdder();
    final LongAdder bytesForwarded = new LongAdder();
    final LongAdder resumes = new LongAdder();
    final LongAdder framesInLanes = new LongAdder();
    final LongAdder lanesOpened = new LongAdder();
    final LongAdder lanesHandedOver = new LongAdder();
    private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();

    void refusal(ErrorCode code) {
        refusals.computeIfAbsent(code.wire(), k -> new LongAdder()).increment();
    }

    Map<String, Long> refusals() {
        Map<String, Long> out = new TreeMap<>();
        refusals.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
