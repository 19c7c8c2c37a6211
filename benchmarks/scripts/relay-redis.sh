#!/usr/bin/env bash
# Times one file (1 GiB by default) through the relay three ways: the relay in memory, one relay
# instance on Redis (host and peer at the same instance), and two instances on one Redis (host at
# one, peer at the other). Limits are lifted as in EndToEndBenchmark. Prints a Markdown table.
#
# usage: benchmarks/scripts/relay-redis.sh [IMAGE_DIR] [MIB]
# Needs redis-server on the PATH. Everything it starts is stopped, and its folder deleted, at exit.
set -euo pipefail

image=${1:-image/target/agent-wormhole}
mib=${2:-1024}
aw=$image/bin/agent-wormhole
work=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

redis_port=$(free_port)
mkdir -p "$work/redis"
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work/redis" >"$work/redis/log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done

lifted=(--mib-per-minute 1048576 --frames-per-minute 2147483647)
# Started in this shell, not in a $(...) subshell, so that cleanup knows their process ids.
start_relay() { # name, extra args...
    local name=$1; shift
    "$aw" relay --bind 127.0.0.1 --port 0 --admin-port -1 "${lifted[@]}" "$@" >"$work/$name.out" 2>"$work/$name.err" &
    pids+=($!)
}
port_of() { # name; echoes the port once the relay has started
    for _ in $(seq 200); do
        if grep -q relay_started "$work/$1.out" 2>/dev/null; then break; fi
        sleep 0.1
    done
    sed -n 's/.*"port":\([0-9]*\).*/\1/p' "$work/$1.out" | head -1
}
start_relay memory
start_relay a --redis "redis://127.0.0.1:$redis_port"
start_relay b --redis "redis://127.0.0.1:$redis_port"
memory=$(port_of memory)
a=$(port_of a)
b=$(port_of b)

head -c $((mib << 20)) /dev/urandom >"$work/file.bin"

run() { # label, host relay port, peer relay port
    local label=$1 hp=$2 pp=$3 d=$work/$1
    mkdir -p "$d/h" "$d/p" "$d/c"
    XDG_RUNTIME_DIR=$d/h XDG_CONFIG_HOME=$d/c "$aw" host --relay "ws://127.0.0.1:$hp" >"$d/host.out" 2>&1 &
    pids+=($!)
    for _ in $(seq 200); do grep -q '"code"' "$d/host.out" 2>/dev/null && break; sleep 0.1; done
    local code
    code=$(sed -n 's/.*"code":"\([^"]*\)".*/\1/p' "$d/host.out" | head -1)
    XDG_RUNTIME_DIR=$d/p XDG_CONFIG_HOME=$d/c "$aw" connect "$code" --relay "ws://127.0.0.1:$pp" >"$d/peer.out" 2>&1 &
    pids+=($!)
    for _ in $(seq 300); do grep -q '"connected"' "$d/peer.out" 2>/dev/null && break; sleep 0.1; done
    local start end
    start=$(date +%s.%N)
    XDG_RUNTIME_DIR=$d/h XDG_CONFIG_HOME=$d/c "$aw" send "$code" --file "$work/file.bin" --timeout 3600 >"$d/send.out"
    end=$(date +%s.%N)
    grep -q '"type":"file"' "$d/peer.out" || { echo "$label: no file line at the peer" >&2; exit 1; }
    XDG_RUNTIME_DIR=$d/h XDG_CONFIG_HOME=$d/c "$aw" close "$code" >/dev/null 2>&1 || true
    rm -rf "$d/p"
    awk -v l="$label" -v s="$start" -v e="$end" -v m="$mib" \
        'BEGIN { t = e - s; printf "| %s | %d MiB | %.1f s | %.0f MB/s |\n", l, m, t, m * 1048576 / t / 1e6 }'
}

echo "| relay | file | time | MB/s |"
echo "|---|---:|---:|---:|"
run memory "$memory" "$memory"
run redis-one-instance "$a" "$a"
run redis-two-instances "$a" "$b"
