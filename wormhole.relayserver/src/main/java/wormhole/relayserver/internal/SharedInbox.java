package wormhole.relayserver.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.CloseFrame;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.StreamEntryBinary;
import wormhole.relayserver.RelayConfig;

/**
 * What reaches the sides held by this instance through their Redis streams (the {@link InboxReader}
 * reads them): the other side's frames, written to the side's connection in order and once (also
 * when a frame that came through a lane arrives again through Redis), and the notices of other
 * instances (paired, consumed, dropped, resumed, left, taken over, ended). Part of the
 * {@link SharedRelay}.
 */
final class SharedInbox {
    private final RelayConfig config;
    private final SharedStore store;
    private final Counters counters;
    private final Flow flow;
    private final RelayLog log;
    private final SharedRelay relay;

    SharedInbox(RelayConfig config, SharedStore store, Counters counters, Flow flow, RelayLog log, SharedRelay relay) {
        this.config = config;
        this.store = store;
        this.counters = counters;
        this.flow = flow;
        this.log = log;
        this.relay = relay;
    }

    /** @return the streams of {@code seats} to read and the last entry read of each */
    Map<byte[], StreamEntryID> positions(Collection<SharedSeat> seats) {
        Map<byte[], StreamEntryID> out = new LinkedHashMap<>();
        for (SharedSeat s : seats) {
            synchronized (s.lock) {
                if (!s.gone) {
                    out.put(SharedStore.bytes(s.inbox), new StreamEntryID(s.lastRead));
                }
            }
        }
        return out;
    }

    /** Handles what a read of the streams returned. */
    void arrived(List<Map.Entry<byte[], List<StreamEntryBinary>>> streams) {
        try {
            for (Map.Entry<byte[], List<StreamEntryBinary>> e : streams) {
                SharedSeat seat = relay.held(new String(e.getKey(), StandardCharsets.UTF_8));
                if (seat != null) {
                    synchronized (seat.lock) {
                        arrived(seat, e.getValue());
                    }
                }
            }
        } finally {
            flow.runDeferred();
        }
    }

    private void arrived(SharedSeat seat, List<StreamEntryBinary> entries) {
        List<StreamEntryID> notices = new ArrayList<>();
        long deliveredUpTo = -1;
        long lateFreed = 0;
        String lateTrim = null;
        try {
            for (StreamEntryBinary entry : entries) {
                if (seat.gone) {
                    return;
                }
                seat.lastRead = entry.getID().toString();
                Map<String, byte[]> f = fields(entry);
                byte[] frame = f.get("f");
                if (frame != null) {
                    long n = Long.parseLong(SharedStore.text(f.get("n")));
                    if (entry.getID().compareTo(seat.trimmedTo) < 0) {
                        continue; // freed and trimmed by a confirmation since this read
                    }
                    if (n < seat.confirmedTo) {
                        // Confirmed already (before this instance read it: after a resume, or sent
                        // again after it came through a lane): free it.
                        seat.nextIn = Math.max(seat.nextIn, n + 1);
                        lateFreed += frame.length;
                        lateTrim = entry.getID().getTime() + "-" + (entry.getID().getSequence() + 1);
                        continue;
                    }
                    if (n < seat.nextIn) {
                        heldAgain(seat, n, entry.getID()); // came through a lane, and now through Redis too
                        continue;
                    }
                    seat.nextIn = n + 1;
                    seat.unconfirmed.addLast(SharedSeat.Held.stream(n, frame.length, entry.getID()));
                    if (n >= seat.skipBelow) {
                        Wire.binary(seat.conn, ByteBuffer.wrap(frame));
                        counters.framesForwarded.increment();
                        counters.bytesForwarded.add(frame.length);
                        deliveredUpTo = n + 1;
                    }
                    continue;
                }
                notices.add(entry.getID());
                notice(seat, SharedStore.text(f.get("t")), f);
            }
            if (seat.gone) {
                return;
            }
            if (lateTrim != null) {
                store.run(SharedScripts.CONFIRM, seat.id, seat.letter, seat.owner, seat.confirmedTo, lateTrim, lateFreed,
                        config.inactivityTimeout().toMillis());
            }
            if (!seat.resumable && deliveredUpTo > 0) {
                relay.confirm(seat, deliveredUpTo); // a Python side confirms nothing: what it was sent is done
            }
            if (seat.otherLeftAt >= 0 && seat.nextIn >= seat.otherLeftAt) {
                relay.endQuietly(seat.id, ErrorCode.PEER_GONE, "a side closed", "final");
            } else if (!seat.resumable && Wire.queuedBytes(seat.conn) > config.bufferBytes()) {
                relay.end(seat, ErrorCode.SLOW_READER, "the receiving side is not reading: its connection has more than "
                        + config.bufferBytes() + " bytes queued; channel closed");
            }
        } catch (JedisException e) {
            relay.lost(seat, e);
        } finally {
            if (!notices.isEmpty()) {
                try {
                    store.deleteEntries(seat.inbox, notices);
                } catch (JedisException e) {
                    relay.unavailable(e);
                }
            }
        }
    }

    /** Frame {@code n}, written to the side through a lane, is now in its stream at {@code id}. */
    private static void heldAgain(SharedSeat seat, long n, StreamEntryID id) {
        for (SharedSeat.Held h : seat.unconfirmed) {
            if (h.number == n) {
                if (!h.inStream()) {
                    if (h.local != null) {
                        seat.localBytes -= h.size;
                    }
                    h.at(id);
                }
                return;
            }
        }
    }

    private void notice(SharedSeat seat, String type, Map<String, byte[]> f) {
        switch (type == null ? "" : type) {
            case "c" -> {
                long n = Long.parseLong(SharedStore.text(f.get("n")));
                if (n > seat.consumedByOther) {
                    seat.consumedByOther = n;
                    if (seat.resumable) {
                        relay.sendAck(seat);
                    }
                }
            }
            case "p" -> {
                seat.paired = true;
                seat.otherResumable = "2".equals(SharedStore.text(f.get("v")));
                counters.channelsPaired.incrementAndGet();
                if (seat.conn.getDraft() instanceof GatedDraft gate) {
                    gate.limit(config.maxMessageBytes());
                }
                if (seat.resumable) {
                    Wire.text(seat.conn, Control.pairedV2(seat.otherResumable));
                }
            }
            case "d" -> {
                if (seat.resumable && seat.paired) {
                    Wire.text(seat.conn, Control.status("peer_disconnected"));
                }
            }
            case "r" -> {
                if (seat.resumable) {
                    Wire.text(seat.conn, Control.status("peer_reconnected"));
                }
            }
            case "l" -> seat.otherLeftAt = Long.parseLong(SharedStore.text(f.get("n")));
            case "x" -> {
                if (!seat.owner.equals(SharedStore.text(f.get("o")))) {
                    relay.retire(seat, "replaced by a resumed connection");
                }
            }
            case "e" -> ended(seat, SharedStore.text(f.get("c")), SharedStore.text(f.get("m")), SharedStore.text(f.get("k")));
            default -> { } // from a newer relay: nothing to do here
        }
    }

    /** The channel ended (told through the stream): the side hears why, and goes. */
    private void ended(SharedSeat seat, String code, String message, String kind) {
        WebSocket conn = seat.conn;
        String notice;
        if ("final".equals(kind)) {
            notice = seat.resumable ? Control.peerGoneFinal() : Control.status("peer_disconnected");
        } else if ("gone".equals(kind)) {
            notice = seat.resumable ? Control.error(ErrorCode.PEER_GONE, message) : Control.status("peer_disconnected");
        } else {
            ErrorCode c = ErrorCode.BAD_REQUEST;
            for (ErrorCode x : ErrorCode.values()) {
                if (x.wire().equals(code)) {
                    c = x;
                }
            }
            notice = Control.error(c, message);
        }
        relay.release(seat);
        Wire.text(conn, notice);
        flow.closeLater(conn, CloseFrame.NORMAL, "channel ended");
        try {
            store.delete(seat.inbox);
        } catch (JedisException e) {
            relay.unavailable(e);
        }
        log.detail(seat.label() + " ended: " + code);
    }

    private static Map<String, byte[]> fields(StreamEntryBinary entry) {
        Map<String, byte[]> out = new HashMap<>();
        entry.getFields().forEach((k, v) -> out.put(new String(k, StandardCharsets.UTF_8), v));
        return out;
    }
}
