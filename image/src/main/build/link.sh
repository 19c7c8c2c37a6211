#!/usr/bin/env bash
# Links the agent-wormhole runtime image: jlink of the named modules in a folder, the launcher,
# and a class-data-sharing archive trained on short commands. Called by the image module's pom in
# the package phase; it can also be run by hand (see docs/runtime-image.md).
#
# usage: link.sh JAVA_HOME MODULES_DIR IMAGE_DIR LAUNCHER TRAINING_FILE
set -euo pipefail

java_home=$1
modules=$2
image=$3
launcher=$4
training=$5

jlink=$java_home/bin/jlink
java_version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)"$/\1/p' "$java_home/release")
feature=${java_version%%.*}
echo "link.sh: linking with $jlink (JDK $java_version)"

# The roots are every module that Maven copied (our six, their libraries, and the service providers
# nobody requires: the two transports and slf4j-nop). One JVM reads all their descriptors at once;
# an automatic module is listed too, and gets a descriptor of its own below.
mapfile -t roots < <("$java_home/bin/java" --module-path "$modules" --add-modules ALL-MODULE-PATH \
    --show-module-resolution -version 2>&1 | sed -n 's/^root \([^ ]*\) file:.*/\1/p' | sort)
if [ "${#roots[@]}" -eq 0 ]; then
    echo "link.sh: no modules found in $modules" >&2
    exit 1
fi
# JDK service providers that no module requires: the EC provider for TLS on wss:// relays (it is in
# java.base from JDK 22 on).
if [ "$feature" -lt 22 ]; then
    roots+=(jdk.crypto.ec)
fi

work=$(mktemp -d)
# The image is built under a private name next to its final place and moved there at the end, so a
# failed or concurrent build never leaves a half-written image behind.
final=$image
partial=$final.partial.$$
image=$partial
trap 'rm -rf "$work" "$partial"' EXIT
mkdir "$work/modules"
cp "$modules"/*.jar "$work/modules/"
# jlink drops jar signatures (bcprov is signed; OpenJDK does not require signed JCE providers, and
# wormhole.crypto calls BouncyCastle's classes directly). Drop them from the copies first, so that
# jlink does not warn about them, and so the jar tool may rewrite a module-info below.
for jar in "$work"/modules/*.jar; do
    if unzip -Z1 "$jar" | grep '^META-INF/[^/]*\.SF$' >/dev/null; then
        zip -q -d "$jar" 'META-INF/*.SF' 'META-INF/*.RSA' 'META-INF/*.DSA' 'META-INF/*.EC'
    fi
done

# Jedis (the Redis client of `relay --redis`) and its authentication helper have no module
# descriptor, and jlink refuses automatic modules. Give each automatic module, in the linked copy
# only, the descriptor jdeps derives from its classes (requires of what it uses, exports of every
# package), compiled against the other modules.
auto=()
for jar in "$work"/modules/*.jar; do
    if "$java_home/bin/jar" --describe-module --file "$jar" 2>/dev/null | grep -q ' automatic$'; then
        auto+=("$jar")
    fi
done
if [ "${#auto[@]}" -gt 0 ]; then
    "$java_home/bin/jdeps" --multi-release "$feature" --ignore-missing-deps --module-path "$work/modules" \
        --generate-module-info "$work/descriptors" "${auto[@]}" 2>&1 | grep -v -e '^Warning: split package' -e '^writing to' || true
    for jar in "${auto[@]}"; do
        name=$("$java_home/bin/jar" --describe-module --file "$jar" | sed -n 's/^\([^@ ]*\)@\{0,1\}[^ ]* automatic$/\1/p')
        info=$(find "$work/descriptors/$name" -name module-info.java | head -1)
        "$java_home/bin/javac" -nowarn --module-path "$work/modules" --patch-module "$name=$jar" \
            -d "$work/descriptors/classes/$name" "$info"
        "$java_home/bin/jar" --update --file "$jar" -C "$work/descriptors/classes/$name" module-info.class
        echo "link.sh: $(basename "$jar"): module descriptor for the automatic module $name"
    done
fi

# A multi-release modular jar may declare packages that exist only for a newer Java (bcprov 1.83
# declares org.bouncycastle.jcajce.provider.kdf*, present only in META-INF/versions/25). The JVM
# accepts that, jlink does not: give each such package a placeholder resource in the linked copy.
for jar in "$work"/modules/*.jar; do
    newer=$(unzip -Z1 "$jar" | sed -n 's|^META-INF/versions/\([0-9]*\)/\(.*\)/[^/]*\.class$|\1 \2|p' |
        awk -v f="$feature" '$1 > f { print $2 }' | sort -u)
    [ -n "$newer" ] || continue
    visible=$(unzip -Z1 "$jar" | awk -v f="$feature" '
        /\.class$/ && !/^META-INF\// { sub(/\/[^\/]*$/, ""); print; next }
        /^META-INF\/versions\/[0-9]+\/.*\.class$/ { split($0, p, "/"); if (p[3] + 0 <= f) {
            sub(/^META-INF\/versions\/[0-9]+\//, ""); sub(/\/[^\/]*$/, ""); print } }' | sort -u)
    declared=$("$java_home/bin/jar" --describe-module --file "$jar" --release "$feature" |
        awk '$1 == "exports" || $1 == "contains" { print $2 }' | tr . / | sort -u)
    missing=$(comm -23 <(comm -12 <(echo "$newer") <(echo "$declared")) <(echo "$visible"))
    [ -n "$missing" ] || continue
    mkdir -p "$work/placeholders"
    for dir in $missing; do
        mkdir -p "$work/placeholders/$dir"
        echo "Placeholder: this package has classes only for a newer Java." \
            >"$work/placeholders/$dir/placeholder.txt"
    done
    "$java_home/bin/jar" --update --file "$jar" -C "$work/placeholders" .
    rm -rf "$work/placeholders"
    echo "link.sh: $(basename "$jar"): placeholder for $(echo "$missing" | wc -l) package(s) of a newer Java"
done

module_path=$work/modules
# JDK 17 links from jmods; a JDK built with JEP 493 (e.g. Temurin 24+) has none and links from its
# own run-time image.
if [ -d "$java_home/jmods" ]; then
    module_path=$module_path:$java_home/jmods
fi

if [ "$feature" -ge 21 ]; then
    compress=zip-6
else
    compress=2
fi

rm -rf "$image"
"$jlink" \
    --module-path "$module_path" \
    --add-modules "$(IFS=,; echo "${roots[*]}")" \
    --strip-debug --no-header-files --no-man-pages --compress="$compress" \
    --output "$image"

install -m 755 "$launcher" "$image/bin/agent-wormhole"

# Security providers: only those the image holds, with SunJCE (AES-GCM, HMAC) right after SUN. The
# JDK finds a provider by walking this list and loading each one; below JDK 22 SunEC is loaded through
# ServiceLoader, which instantiates every java.security.Provider on the module path on the way, and
# bcprov declares two (about 200 ms and 80 MB at the first Cipher or Mac). Nothing overlaps between
# SunJCE and the providers it now precedes, so no algorithm changes hands.
security="$image/conf/security/java.security"
grep -v '^security\.provider\.[0-9]' "$security" >"$security.new"
{
    echo "security.provider.1=SUN"
    echo "security.provider.2=SunJCE"
    echo "security.provider.3=SunRsaSign"
    echo "security.provider.4=SunEC"
    echo "security.provider.5=SunJSSE"
} >>"$security.new"
mv "$security.new" "$security"
# The agent skill as a plain file, which `agent-wormhole setup` links into ~/.claude/skills (a link,
# so an upgrade of the image updates the skill). It is the resource of the shell module's jar.
mkdir -p "$image/skill"
unzip -p "$modules"/wormhole.shell-*.jar wormhole/shell/skill/SKILL.md >"$image/skill/SKILL.md"
chmod 644 "$image/skill/SKILL.md"

# Class-data sharing. Each line of the training file is a command line whose start-up matters; every
# run dumps the list of classes it loaded, and the merged list becomes one static CDS archive of the
# JDK's classes and ours, which the launcher uses. A dynamic archive (-XX:ArchiveClassesAtExit) can
# record one run only, and with this archive the JDK's default one (jlink --generate-cds-archive,
# 23 MB with its no-compressed-oops twin) would only serve bare bin/java runs, so the image has none.
runs=0
limit=""
if command -v timeout >/dev/null; then
    limit="timeout 60" # a training run that hangs must not hang the build
fi
while IFS= read -r line || [ -n "$line" ]; do
    case $line in '' | '#'*) continue ;; esac
    runs=$((runs + 1))
    # A private runtime folder and home, so training never touches the user's channels.
    mkdir -p "$work/run$runs"
    # shellcheck disable=SC2086 # the line is split into words on purpose
    $limit env -u AGENT_WORMHOLE_CODE XDG_RUNTIME_DIR="$work/run$runs" HOME="$work/run$runs" \
        AGENT_WORMHOLE_JAVA_OPTS="-Xshare:off -XX:DumpLoadedClassList=$work/run$runs.classlist" \
        "$image/bin/agent-wormhole" $line </dev/null >/dev/null 2>&1 || true
done <"$training"
# One whole channel too, as agents use it, through a relay started here: a host, a peer, the upgrade
# to a direct connection, a text one way and a small file the other, status and a close. It brings
# the handshake, the engine, streams, the relay client and the upgrade into the archive; the lines
# above only reach the start of a channel. (The relay's own classes are left out, and a second
# channel in direct mode added 1.4 MB for little: its classes are mostly the same.) Every wait is
# bounded, every process is stopped, and a run that goes wrong only leaves its classes out.
next_list() {
    runs=$((runs + 1))
    list=$work/run$runs.classlist
}
await() { # FILE PATTERN: waits up to 20 s for a line of FILE to match
    local i
    for i in $(seq 400); do
        if grep -q "$2" "$1" 2>/dev/null; then return 0; fi
        sleep 0.05
    done
    return 1
}
train_channel() {
    local dir=$work/channel pids=() cmd=() code port
    mkdir -p "$dir/run" "$dir/home"
    chmod 700 "$dir/run"
    head -c 1048576 /dev/urandom >"$dir/file.bin"
    command_for() { # the image's command in the channel's folders, dumping its classes to $list
        # shellcheck disable=SC2206 # $limit is one or two words, or none
        cmd=($limit env -u AGENT_WORMHOLE_CODE -u AGENT_WORMHOLE_RELAY_URL XDG_RUNTIME_DIR="$dir/run"
            HOME="$dir/home" XDG_CONFIG_HOME="$dir/home/.config"
            AGENT_WORMHOLE_JAVA_OPTS="-Xshare:off -XX:DumpLoadedClassList=$list" "$image/bin/agent-wormhole")
    }
    aw() {
        command_for
        "${cmd[@]}" "$@" </dev/null >/dev/null 2>&1 || true
    }
    aw_background() { # OUT ARGS...: started without a subshell around it, so that a kill of $! reaches
        # the command (timeout passes the signal on)
        local out=$1
        shift
        command_for
        "${cmd[@]}" "$@" </dev/null >"$out" 2>/dev/null &
        pids+=($!)
    }
    list=/dev/null
    aw_background "$dir/relay.out" relay --bind 127.0.0.1 --port 0 --admin-port 0
    if await "$dir/relay.out" relay_started; then
        port=$(sed -n 's/.*"port":\([0-9]*\).*/\1/p' "$dir/relay.out" | head -n 1)
        next_list
        aw_background "$dir/host.out" host --relay "ws://127.0.0.1:$port"
        if await "$dir/host.out" '"code"'; then
            code=$(sed -n 's/.*"code":"\([^"]*\)".*/\1/p' "$dir/host.out" | head -n 1)
            next_list
            aw_background "$dir/peer.out" connect "$code" --relay "ws://127.0.0.1:$port"
            if await "$dir/peer.out" '"connected"' && await "$dir/peer.out" '"path"'; then
                next_list
                aw send "$code" hello --role host
                await "$dir/peer.out" '"type":"text"' || true
                next_list
                aw send "$code" --file "$dir/file.bin" --role peer
                await "$dir/host.out" '"type":"file"' || true
                next_list
                aw status
                next_list
                aw close "$code" --role host
                await "$dir/peer.out" '"closed"' || true
            fi
        fi
    fi
    # The ends have closed (or a wait gave up); the relay stops on SIGTERM.
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
train_channel
# Merge in run order, keeping the first of each line: newer JDKs' lists hold "@cp" lines that must
# follow their class, and per-run "id: N" numbers that would clash across runs (ids matter only for
# classes of custom loaders, which these lists do not have, so they are dropped).
for n in $(seq 1 "$runs"); do
    if [ -f "$work/run$n.classlist" ]; then cat "$work/run$n.classlist"; fi
done | sed 's/ id: [0-9]*$//' | awk '!seen[$0]++' >"$work/merged.classlist"
# From JDK 24 on, the archive can also hold the classes already linked (JEP 483's AOT class linking,
# here from the merged list rather than one training run's AOT cache): measured 10-20 % faster for
# status and connect on JDK 25 (docs/runtime-image.md).
aot_linking=()
if [ "$feature" -ge 24 ]; then
    aot_linking=(-XX:+AOTClassLinking)
fi
"$image/bin/java" -Xshare:dump "${aot_linking[@]}" -XX:SharedClassListFile="$work/merged.classlist" \
    -XX:SharedArchiveFile="$image/lib/agent-wormhole.jsa" \
    -m wormhole.shell/wormhole.shell.Main >"$work/dump.log" 2>&1 || {
    cat "$work/dump.log" >&2
    echo "link.sh: CDS dump failed" >&2
    exit 1
}
rm -rf "$final"
mv "$image" "$final"
image=$final
echo "link.sh: CDS archive from $runs training runs ($(wc -l <"$work/merged.classlist") class-list lines)"
echo "link.sh: image $image ($(du -sb "$image" | cut -f1) bytes) with modules:"
"$image/bin/java" --list-modules | sed 's/^/  /'
