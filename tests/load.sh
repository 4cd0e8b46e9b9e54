#!/bin/bash
# tests/load.sh: listen -k --mode echo under 2,000 concurrent clients of
# tests/load-client, each sending 1 MiB in writes of random size, with at
# most 256 KiB of it not yet echoed (unbounded, the clients drive the
# kernel into TCP memory pressure, where drops stall a connection): every
# byte comes back; three clients that never read get stuck alone (their
# echo stops, the server stops reading them); three that abort with a RST
# half-way disturb nobody; the server's peak memory stays under the bound
# its buffers allow.
. "$srcdir/lib.sh"
LOADCLIENT=${LOADCLIENT:-$(dirname "$SOCKKIT")/tests/load-client}
[ -x "$LOADCLIENT" ] || skip_all "tests/load-client is not built"
CLIENTS=2000
STALLED=3
KILLED=3
BYTES=1048576
# Descriptors: one per client on each side, and a few more.
ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" -ge $((CLIENTS + 64)) ] ||
    skip_all "needs ulimit -n of $((CLIENTS + 64))"
plan 9

# Under ASan, freed memory waits in a quarantine (256 MiB by default)
# before it is reused: keep it small, so that the bound below means
# something in that build too.
bg env ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=16 \
    "$SOCKKIT" listen -k --mode echo --max-conns $((CLIENTS + 10)) \
    127.0.0.1 0 2>"$TMP/server.err"
spid=$!
port=$(listen_port "$TMP/server.err")
like "$port" '^[0-9]+$' "listen -k --mode echo starts"
base=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/$spid/status)

# The kernel's TCP memory (pages, from /proc/net/sockstat) twice a
# second while the clients run: its peak is shown against the threshold
# where the kernel starts to drop.
for _ in $(seq 300); do
	sed -n 's/^TCP:.* mem \([0-9]*\)$/\1/p' /proc/net/sockstat
	sleep 0.5
done >"$TMP/tcpmem" &
mpid=$!
timeout 150 "$LOADCLIENT" 127.0.0.1 "$port" $CLIENTS $BYTES 42 \
    $STALLED $KILLED >"$TMP/client.out" 2>"$TMP/client.err"
rc=$?
kill $mpid 2>/dev/null; wait $mpid 2>/dev/null
summary=$(cat "$TMP/client.out")
echo "# load-client: $summary"
echo "# kernel TCP memory: peak $(sort -n "$TMP/tcpmem" | tail -n 1) pages;" \
    "pressure from $(cut -f2 /proc/sys/net/ipv4/tcp_mem) (tcp_mem)"
if [ $rc != 0 ]; then
	# What the stuck clients and the server's ends of them say.
	sed 's/^/# /' "$TMP/client.err" | head -n 20
	grep -o 'port [0-9]*) not done' "$TMP/client.err" | cut -d' ' -f2 |
	    cut -d')' -f1 | head -n 3 | while read -r cport; do
		ss -tnmi "( sport = :$port and dport = :$cport )" | sed 's/^/# /'
	done
fi
is $rc 0 "load-client: exit 0"
normal=$((CLIENTS - STALLED - KILLED))
like "$summary" "^done $normal of $normal, bad 0," \
    "every one of $normal clients got its 1 MiB back exactly"
like "$summary" "stalled $STALLED \\(sent [0-9]+, received 0\\)" \
    "the clients that never read got no echo"
ssent=$(printf '%s\n' "$summary" | sed -n 's/.*stalled [0-9]* (sent \([0-9]*\),.*/\1/p')
ok $([ -n "$ssent" ] && [ "$ssent" -lt $((STALLED * 256 * 1048576)) ]
    echo $?) "they got stuck: the server stopped reading them ($ssent bytes)"
# The stuck clients' RSTs come as load-client exits: wait for them.
wait_count "$TMP/server.err" 'Connection reset by peer' \
    $((STALLED + KILLED)) 5
is "$(grep -c 'Connection reset by peer' "$TMP/server.err")" \
    $((STALLED + KILLED)) \
    "the server saw the RSTs (killed, then the stuck ones at the end)"
kill -0 $spid 2>/dev/null
ok $? "the server is still running"
is "$(printf 'after\n' | "$SOCKKIT" connect -q 1 127.0.0.1 "$port" \
    2>/dev/null)" after "and still echoes"

# The bound: each echo client holds at most OUT_HIGH (64 KiB, src/serve.c)
# of output, plus its struct and allocator overhead (4 KiB is generous);
# the scratch buffer is in the base.  ASan adds its 16 MiB quarantine
# and a shadow byte for every 8 (16 MiB more is generous).
peak=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/$spid/status)
bound=$((base + CLIENTS * (64 + 4)))
grep -qa __asan_init "$SOCKKIT" && bound=$((bound + 32 * 1024))
echo "# peak memory (VmHWM) of the server: $peak kB for $CLIENTS clients" \
    "(at start $base kB; bound $bound kB)"
ok $([ -n "$peak" ] && [ "$peak" -le "$bound" ]; echo $?) \
    "peak memory $peak kB is under $bound kB"
done_testing
