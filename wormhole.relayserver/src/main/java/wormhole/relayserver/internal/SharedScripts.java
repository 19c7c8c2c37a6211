package wormhole.relayserver.internal;

/**
 * The Lua scripts that change a shared channel in Redis, each one atomic. Keys (under the prefix
 * {@code P}, see docs/relay-redis.md): {@code ch:ID} the channel's hash, {@code in:ID:h} and
 * {@code in:ID:p} the streams toward the host and the peer (frames of the other side and notices),
 * {@code name:KEY} a nameplate or code, {@code tok:TOKEN} a resume token, {@code addr:ADDRESS}
 * live channels of a client address, {@code inst:ID} a live relay instance, {@code live} the number
 * of live channels. Every script refreshes the time-to-live of what it touches. Fields of the hash
 * start with the side they belong to ({@code h} or {@code p}): {@code o} the owning connection
 * ({@code instance:serial}, empty while away), {@code p} protocol, {@code t} token, {@code a}
 * address, {@code w} away since, {@code l} leaving, {@code acc} frames it sent, {@code con} of those
 * the other side consumed, {@code buf} bytes of those held, {@code hi} how many it may have sent
 * while its frames went straight to the other side in one instance's memory (a lane, see
 * {@link #SYNC}).
 *
 * <p>Over 300 lines because it is the scripts' text: each script is one atomic step whose checks
 * must be read whole, and they share the key and field names above; the Java around them is small.
 */
final class SharedScripts {
    private SharedScripts() {
    }

    private static final String COMMON = """
            local P = ARGV[1]
            local function other(r) if r == 'h' then return 'p' else return 'h' end end
            local function touch(id, ttl)
              local h = P .. 'ch:' .. id
              redis.call('PEXPIRE', h, ttl)
              redis.call('PEXPIRE', P .. 'in:' .. id .. ':h', ttl)
              redis.call('PEXPIRE', P .. 'in:' .. id .. ':p', ttl)
              local f = redis.call('HMGET', h, 'key', 'ht', 'pt')
              if f[1] then redis.call('PEXPIRE', P .. 'name:' .. f[1], ttl) end
              if f[2] and f[2] ~= '' then redis.call('PEXPIRE', P .. 'tok:' .. f[2], ttl) end
              if f[3] and f[3] ~= '' then redis.call('PEXPIRE', P .. 'tok:' .. f[3], ttl) end
            end
            local function notify(id, r, ttl, ...)
              local s = P .. 'in:' .. id .. ':' .. r
              redis.call('XADD', s, '*', ...)
              redis.call('PEXPIRE', s, ttl)
            end
            local function alive(owner)
              if not owner or owner == '' then return false end
              local inst = string.match(owner, '^([^:]+):')
              return redis.call('EXISTS', P .. 'inst:' .. inst) == 1
            end
            """;

    /**
     * A host opens a channel. ARGV: prefix, id, name key, protocol, token, owner, address, now, ttl,
     * live channels per address. Returns {@code ok}, {@code taken} or {@code too_many}.
     */
    static final String CREATE = COMMON + """
            local id, key, proto, token, owner, addr = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
            local now, ttl, limit = ARGV[8], tonumber(ARGV[9]), tonumber(ARGV[10])
            if redis.call('EXISTS', P .. 'name:' .. key) == 1 then return 'taken' end
            local ak = P .. 'addr:' .. addr
            local n = redis.call('INCR', ak)
            redis.call('PEXPIRE', ak, ttl)
            if n > limit then redis.call('DECR', ak) return 'too_many' end
            redis.call('SET', P .. 'name:' .. key, id, 'PX', ttl)
            local h = P .. 'ch:' .. id
            redis.call('HSET', h, 'key', key, 'hp', proto, 'ht', token, 'ho', owner, 'ha', addr, 'paired', '0',
              'hacc', 0, 'pacc', 0, 'hcon', 0, 'pcon', 0, 'hbuf', 0, 'pbuf', 0, 'ws', now, 'wf', 0, 'wb', 0, 'last', now)
            redis.call('PEXPIRE', h, ttl)
            if token ~= '' then redis.call('SET', P .. 'tok:' .. token, id .. ' h', 'PX', ttl) end
            redis.call('INCR', P .. 'live')
            return 'ok'
            """;

    /**
     * A peer joins by name. ARGV: prefix, name key, protocol, token, owner, address, ttl, live
     * channels per address. Returns {@code {ok, id, host protocol}}, {@code {none}}, {@code {full}}
     * or {@code {too_many}}.
     */
    static final String JOIN = COMMON + """
            local key, proto, token, owner, addr = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
            local ttl, limit = tonumber(ARGV[7]), tonumber(ARGV[8])
            local id = redis.call('GET', P .. 'name:' .. key)
            if not id then return {'none'} end
            local h = P .. 'ch:' .. id
            local f = redis.call('HMGET', h, 'ended', 'ho', 'paired', 'ha', 'hp')
            if f[1] or not f[2] or not alive(f[2]) then return {'none'} end
            if f[3] == '1' then return {'full'} end
            if addr ~= f[4] then
              local ak = P .. 'addr:' .. addr
              local n = redis.call('INCR', ak)
              redis.call('PEXPIRE', ak, ttl)
              if n > limit then redis.call('DECR', ak) return {'too_many'} end
            end
            redis.call('HSET', h, 'paired', '1', 'pp', proto, 'pt', token, 'po', owner, 'pa', addr)
            if token ~= '' then redis.call('SET', P .. 'tok:' .. token, id .. ' p', 'PX', ttl) end
            notify(id, 'h', ttl, 't', 'p', 'v', proto)
            touch(id, ttl)
            return {'ok', id, f[5]}
            """;

    /**
     * A side sends a frame. ARGV: prefix, id, role, owner, frame, now, ttl, window, frames and bytes
     * per window, bytes held per direction, bytes held before pairing. Returns {@code {ok, accepted}}
     * or {@code {gone|ended|replaced|rate|slow|unpaired}}.
     */
    static final String APPEND = COMMON + """
            local id, r, owner, frame, now = ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])
            local ttl, window, flimit, blimit = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10])
            local buflimit, unpaired = tonumber(ARGV[11]), tonumber(ARGV[12])
            local h = P .. 'ch:' .. id
            local f = redis.call('HMGET', h, 'ended', r .. 'o', r .. 'acc', 'ws', 'paired')
            if not f[3] then return {'gone'} end
            if f[1] then return {'ended'} end
            if f[2] ~= owner then return {'replaced'} end
            local size = string.len(frame)
            if now - tonumber(f[4]) >= window then redis.call('HSET', h, 'ws', now, 'wf', 0, 'wb', 0) end
            local wf = redis.call('HINCRBY', h, 'wf', 1)
            local wb = redis.call('HINCRBY', h, 'wb', size)
            if wf > flimit or wb > blimit then
              redis.call('HINCRBY', h, 'wf', -1)
              redis.call('HINCRBY', h, 'wb', -size)
              return {'rate'}
            end
            local buf = redis.call('HINCRBY', h, r .. 'buf', size)
            if buf > buflimit then return {'slow'} end
            if f[5] ~= '1' and buf > unpaired then return {'unpaired'} end
            local n = redis.call('HINCRBY', h, r .. 'acc', 1)
            notify(id, other(r), ttl, 'n', n - 1, 'f', frame)
            redis.call('HSET', h, 'last', now)
            touch(id, ttl)
            return {'ok', n}
            """;

    /**
     * A receiver consumed frames. ARGV: prefix, id, role of the receiver, owner, consumed count,
     * trim threshold (a stream id, or empty), bytes freed, ttl. Returns {@code ok}, {@code stale}
     * (no new count; the trim and the freed bytes still apply: frames read after a resume that were
     * confirmed before), {@code bad} (more than was sent), {@code ended} or {@code replaced}.
     */
    static final String CONFIRM = COMMON + """
            local id, r, owner, n, trim, freed, ttl = ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), ARGV[6], tonumber(ARGV[7]), tonumber(ARGV[8])
            local h = P .. 'ch:' .. id
            local o = other(r)
            local f = redis.call('HMGET', h, 'ended', r .. 'o', o .. 'con', o .. 'acc', o .. 'hi')
            if not f[4] or f[1] then return 'ended' end
            if f[2] ~= owner then return 'replaced' end
            if n > math.max(tonumber(f[4]), tonumber(f[5] or 0)) then return 'bad' end
            if freed > 0 then redis.call('HINCRBY', h, o .. 'buf', -freed) end
            if trim ~= '' then redis.call('XTRIM', P .. 'in:' .. id .. ':' .. r, 'MINID', trim) end
            if n <= tonumber(f[3]) then return 'stale' end
            redis.call('HSET', h, o .. 'con', n)
            notify(id, o, ttl, 't', 'c', 'n', n)
            return 'ok'
            """;

    /**
     * A side comes back with its token. ARGV: prefix, token, frames it received, owner, ttl. Returns
     * {@code {ok, id, role, sent, consumed-of-sent, paired, other present (1/0), other protocol,
     * other leaving (1/0), other sent, consumed-of-received, own protocol}}, {@code {unknown}},
     * {@code {ended}}, {@code {left}} or {@code {gap, id, consumed, sent}}.
     */
    static final String RESUME = COMMON + """
            local token, received, owner, ttl = ARGV[2], tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5])
            local v = redis.call('GET', P .. 'tok:' .. token)
            if not v then return {'unknown'} end
            local id, r = string.match(v, '^(%S+) (%a)$')
            local o = other(r)
            local h = P .. 'ch:' .. id
            local f = redis.call('HMGET', h, 'ended', r .. 'l', r .. 'o', o .. 'acc', o .. 'con', r .. 'acc', r .. 'con',
              'paired', o .. 'o', o .. 'p', o .. 'l', r .. 'p', o .. 'hi')
            if f[1] or not f[4] then return {'ended'} end
            if f[2] == '1' then return {'left'} end
            local most = math.max(tonumber(f[4]), tonumber(f[13] or 0))
            if received < tonumber(f[5]) or received > most then return {'gap', id, f[5], most} end
            redis.call('HSET', h, r .. 'o', owner)
            redis.call('HDEL', h, r .. 'w')
            if f[3] and f[3] ~= '' and f[3] ~= owner then notify(id, r, ttl, 't', 'x', 'o', owner) end
            local present = '0'
            if alive(f[9]) then present = '1' end
            if f[8] == '1' then notify(id, o, ttl, 't', 'r') end
            touch(id, ttl)
            return {'ok', id, r, f[6], f[7], f[8], present, f[10] or '0', f[11] or '0', f[4], f[5], f[12]}
            """;

    /** A side's connection dropped. ARGV: prefix, id, role, owner, now, ttl. */
    static final String DROP = COMMON + """
            local id, r, owner, now, ttl = ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])
            local h = P .. 'ch:' .. id
            local f = redis.call('HMGET', h, 'ended', r .. 'o', 'paired')
            if f[1] or f[2] ~= owner then return 0 end
            redis.call('HSET', h, r .. 'o', '', r .. 'w', now)
            if f[3] == '1' then notify(id, other(r), ttl, 't', 'd') end
            return 1
            """;

    /**
     * A side leaves. ARGV: prefix, id, role, owner, ttl. Returns {@code {paired?, frames it sent,
     * whether the other side left already}},
     * or {@code {}} when it no longer owns the side.
     */
    static final String LEAVE = COMMON + """
            local id, r, owner, ttl = ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
            local h = P .. 'ch:' .. id
            local f = redis.call('HMGET', h, 'ended', r .. 'o', 'paired', r .. 'acc', other(r) .. 'l')
            if f[1] or f[2] ~= owner then return {} end
            redis.call('HSET', h, r .. 'l', '1', r .. 'o', '')
            if f[3] == '1' then notify(id, other(r), ttl, 't', 'l', 'n', f[4]) end
            return {f[3], f[4], f[5] or '0'}
            """;

    /**
     * Ends a channel: marks it, tells both sides' streams, frees its name, tokens and address
     * counts, and leaves the rest to expire within a short time. ARGV: prefix, id, code, message,
     * notice kind ({@code error}, {@code gone} or {@code final}), linger ms. Returns 1 if it ended it.
     */
    static final String END = COMMON + """
            local id, code, msg, kind, linger = ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])
            local h = P .. 'ch:' .. id
            local f = redis.call('HMGET', h, 'ended', 'key', 'ht', 'pt', 'ha', 'pa', 'paired')
            if f[1] or not f[2] then return 0 end
            redis.call('HSET', h, 'ended', code)
            for _, r in ipairs({'h', 'p'}) do notify(id, r, linger, 't', 'e', 'c', code, 'm', msg, 'k', kind) end
            if redis.call('GET', P .. 'name:' .. f[2]) == id then redis.call('DEL', P .. 'name:' .. f[2]) end
            if f[3] and f[3] ~= '' then redis.call('DEL', P .. 'tok:' .. f[3]) end
            if f[4] and f[4] ~= '' then redis.call('DEL', P .. 'tok:' .. f[4]) end
            local function leave(a)
              if a and a ~= '' then
                local ak = P .. 'addr:' .. a
                if redis.call('DECR', ak) <= 0 then redis.call('DEL', ak) end
              end
            end
            leave(f[5])
            if f[7] == '1' and f[6] ~= f[5] then leave(f[6]) end
            if redis.call('DECR', P .. 'live') < 0 then redis.call('SET', P .. 'live', 0) end
            redis.call('PEXPIRE', h, linger)
            return 1
            """;

    /**
     * The clocks of a side held here. ARGV: prefix, id, role, now, inactivity ms, grace ms, ttl.
     * Returns {@code ok}, {@code ended} (its end notice is on its way), {@code gone} (expired),
     * {@code inactive} or {@code peer_gone}. An
     * other side whose instance died is marked away here (and this side is told).
     */
    static final String SWEEP = COMMON + """
            local id, r, now, inactivity, grace, ttl = ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
            local o = other(r)
            local h = P .. 'ch:' .. id
            local f = redis.call('HMGET', h, 'ended', 'last', 'paired', o .. 'o', o .. 'w', o .. 'l')
            if f[1] then return 'ended' end
            if not f[2] then return 'gone' end
            if now - tonumber(f[2]) >= inactivity then return 'inactive' end
            if f[3] == '1' and f[6] ~= '1' then
              local away = f[5]
              if not away and not alive(f[4]) then
                away = now
                redis.call('HSET', h, o .. 'o', '', o .. 'w', now)
                notify(id, r, ttl, 't', 'd')
              end
              if away and now - tonumber(away) >= grace then return 'peer_gone' end
            end
            return 'ok'
            """;

    /** A keepalive: the channel is active. ARGV: prefix, id, now, ttl. */
    static final String PING = COMMON + """
            local id, now, ttl = ARGV[2], ARGV[3], tonumber(ARGV[4])
            local h = P .. 'ch:' .. id
            if redis.call('EXISTS', h) == 0 then return 0 end
            redis.call('HSET', h, 'last', now)
            touch(id, ttl)
            return 1
            """;
    /**
     * A lane: both sides are held by one instance, which forwards a side's frames to the other in
     * memory. Checkpoints a lane, or opens one ({@code start} = 1: only when nothing of that
     * direction is held in Redis, every frame sent consumed). The receiver's consumed count becomes
     * the sender's {@code acc} (what the relay holds for good; a resume resends from there) and
     * {@code con}; the unused part of the lane's rate grant (taken in window {@code grantWs}) goes
     * back; a new grant is taken from the channel's window: a quarter of what is left (at least what
     * is needed now, at most {@code capF} frames and {@code capB} bytes; none with caps of 0), and
     * {@code hi} = sent + granted frames bounds what the receiver may claim on a resume. A grant
     * that cannot cover what is needed now is {@code rate}, and takes nothing. ARGV: prefix, id, sender role, sender owner, receiver owner, consumed, sent, now,
     * ttl, window, frame limit, byte limit, unused frames, unused bytes, grantWs, frames and bytes
     * needed now, capF, capB, start. Returns {@code {ok, acc, frames, bytes, window start}}, or
     * {@code {gone|ended|replaced|replaced_other|rate|busy}}.
     */
    static final String SYNC = COMMON + """
            local id, r, sown, rown = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
            local c, sent, now, ttl = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
            local window, flimit, blimit = tonumber(ARGV[10]), tonumber(ARGV[11]), tonumber(ARGV[12])
            local uf, ub, gws, nf, nb = tonumber(ARGV[13]), tonumber(ARGV[14]), tonumber(ARGV[15]), tonumber(ARGV[16]), tonumber(ARGV[17])
            local capf, capb, start = tonumber(ARGV[18]), tonumber(ARGV[19]), ARGV[20]
            local o = other(r)
            local h = P .. 'ch:' .. id
            local f = redis.call('HMGET', h, 'ended', r .. 'o', o .. 'o', r .. 'acc', r .. 'con', r .. 'buf', 'ws', 'paired')
            if not f[4] then return {'gone'} end
            if f[1] then return {'ended'} end
            if f[2] ~= sown then return {'replaced'} end
            if f[3] ~= rown then return {'replaced_other'} end
            local acc = tonumber(f[4])
            if start == '1' and (f[8] ~= '1' or acc ~= tonumber(f[5]) or acc ~= sent or tonumber(f[6]) ~= 0) then
              return {'busy'}
            end
            if c > tonumber(f[5]) then redis.call('HSET', h, r .. 'con', c) end
            if c > acc then acc = c redis.call('HSET', h, r .. 'acc', c) end
            local ws = tonumber(f[7])
            if gws == ws then
              if uf > 0 then redis.call('HINCRBY', h, 'wf', -uf) end
              if ub > 0 then redis.call('HINCRBY', h, 'wb', -ub) end
            end
            if now - ws >= window then redis.call('HSET', h, 'ws', now, 'wf', 0, 'wb', 0) ws = now end
            local w = redis.call('HMGET', h, 'wf', 'wb')
            local rf, rb = flimit - tonumber(w[1]), blimit - tonumber(w[2])
            if rf < nf or rb < nb then return {'rate'} end
            local gf = math.min(capf, math.max(nf, math.floor(rf / 4)))
            local gb = math.min(capb, math.max(nb, math.floor(rb / 4)))
            redis.call('HINCRBY', h, 'wf', gf)
            redis.call('HINCRBY', h, 'wb', gb)
            redis.call('HSET', h, r .. 'hi', sent + gf, 'last', now)
            touch(id, ttl)
            return {'ok', acc, gf, gb, ws}
            """;

    /**
     * A lane ends while its sender is still held by the instance (the receiver dropped, moved or
     * left, or the instance stops): the frames the receiver has not consumed, held in that
     * instance's memory, go into the receiver's stream, numbered, and the sender's {@code acc} becomes
     * what it sent, so whoever reads the stream next gets them. ARGV: prefix, id, sender role,
     * sender owner, consumed, sent, ttl, unused frames and bytes, grantWs, then number and frame for
     * each frame. Returns {@code {ok, stream id...}} or {@code {gone|ended|replaced}}.
     */
    static final String HANDOFF = COMMON + """
            local id, r, sown = ARGV[2], ARGV[3], ARGV[4]
            local c, sent, ttl = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
            local uf, ub, gws = tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10])
            local h = P .. 'ch:' .. id
            local f = redis.call('HMGET', h, 'ended', r .. 'o', r .. 'acc', r .. 'con', 'ws')
            if not f[3] then return {'gone'} end
            if f[1] then return {'ended'} end
            if f[2] ~= sown then return {'replaced'} end
            if gws == tonumber(f[5]) then
              if uf > 0 then redis.call('HINCRBY', h, 'wf', -uf) end
              if ub > 0 then redis.call('HINCRBY', h, 'wb', -ub) end
            end
            if c > tonumber(f[4]) then redis.call('HSET', h, r .. 'con', c) end
            local s = P .. 'in:' .. id .. ':' .. other(r)
            local out = {'ok'}
            local bytes = 0
            for i = 11, #ARGV, 2 do
              out[#out + 1] = redis.call('XADD', s, '*', 'n', ARGV[i], 'f', ARGV[i + 1])
              bytes = bytes + string.len(ARGV[i + 1])
            end
            if sent > tonumber(f[3]) then redis.call('HSET', h, r .. 'acc', sent) end
            if bytes > 0 then redis.call('HINCRBY', h, r .. 'buf', bytes) end
            touch(id, ttl)
            return out
            """;
}
