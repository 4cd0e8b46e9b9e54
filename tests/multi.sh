#!/bin/bash
# tests/multi.sh: listen -k with 50 clients at once: in echo mode each
# gets its own data back, in relay mode stdout holds every client's data;
# stdin goes to every client; --max-conns leaves the rest in the backlog.
. "$srcdir/lib.sh"
need_cmd python3

N=50

# wait_all PIDS...: wait for each (bounded); sets $failed to how many
# failed.  (Not in $(...): a subshell cannot wait for our children.)
wait_all() {
	failed=0
	for _p in "$@"; do wait_pid "$_p" 60 || failed=$((failed + 1)); done
}

# Echo: 50 clients, 256 KiB of distinct random data each, at once.
head -c $((N * 262144)) /dev/urandom >"$TMP/all"
split -b 262144 -d -a 2 "$TMP/all" "$TMP/in."
serve echo "$SOCKKIT" listen -k --mode echo 127.0.0.1 0
pids=
for i in $(seq -w 0 $((N - 1))); do
	"$SOCKKIT" connect 127.0.0.1 "$port" <"$TMP/in.$i" >"$TMP/out.$i" 2>"$TMP/err.$i" &
	pids="$pids $!"
done
wait_all $pids
is "$failed" 0 "echo -k: all $N clients exit 0"
same=0
for i in $(seq -w 0 $((N - 1))); do
	cmp -s "$TMP/in.$i" "$TMP/out.$i" && same=$((same + 1))
done
is "$same" "$N" "echo -k: each of $N clients got exactly its own 256 KiB back"
kill "$pid" 2>/dev/null
is "$(cat "$TMP"/err.*)" "" "echo -k: no client said anything on stderr"

# Relay: client i sends 20000 copies of its own letter and one line of
# its own; stdout must hold every byte of each.
letters=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz
serve relay "$SOCKKIT" listen -k 127.0.0.1 0
pids=
for i in $(seq 0 $((N - 1))); do
	c=${letters:$i:1}
	{ printf 'client %d says hello\n' "$i"; head -c 20000 /dev/zero | tr '\0' "$c"; } >"$TMP/r.$i"
	"$SOCKKIT" connect 127.0.0.1 "$port" <"$TMP/r.$i" >/dev/null 2>&1 &
	pids="$pids $!"
done
wait_all $pids
is "$failed" 0 "relay -k: all $N clients exit 0"
want=0
for i in $(seq 0 $((N - 1))); do want=$((want + $(wc -c <"$TMP/r.$i"))); done
# relayed: whether stdout holds $want bytes yet.
relayed() { [ "$(wc -c <"$TMP/relay.out")" -ge "$want" ]; }
wait_until 10 relayed
kill "$pid" 2>/dev/null
is "$(wc -c <"$TMP/relay.out")" "$want" "relay -k: stdout holds every byte ($want)"
lines=0
for i in $(seq 0 $((N - 1))); do
	grep -aq "client $i says hello" "$TMP/relay.out" && lines=$((lines + 1))
done
is "$lines" "$N" "relay -k: each client's line arrived whole"
# Count each letter exactly: strip the hello lines first.
sed 's/client [0-9]* says hello//' "$TMP/relay.out" | tr -d '\n' >"$TMP/letters"
bad=0
for i in $(seq 0 $((N - 1))); do
	c=${letters:$i:1}
	[ "$(tr -cd "$c" <"$TMP/letters" | wc -c)" -eq 20000 ] || bad=$((bad + 1))
done
is "$bad" 0 "relay -k: each client's 20000 bytes are all there, none lost or mixed up"

# stdin goes to every client.
mkfifo "$TMP/sin" "$TMP/cin"
exec 3<>"$TMP/sin" 4<>"$TMP/cin"
bg "$SOCKKIT" listen -k -v 127.0.0.1 0 <&3 >/dev/null 2>"$TMP/b.err"
pid=$!
port=$(listen_port "$TMP/b.err")
for i in 1 2 3; do
	bg "$SOCKKIT" connect 127.0.0.1 "$port" <&4 >"$TMP/b.$i" 2>/dev/null
done
wait_count "$TMP/b.err" 'connection from' 3 5
printf 'to everyone\n' >&3
got=0
for i in 1 2 3; do
	wait_for_line "$TMP/b.$i" '^to everyone$' 5 && got=$((got + 1))
done
is "$got" 3 "relay -k: a line on stdin reaches all 3 clients"

# --max-conns: the third client waits in the backlog, not refused, and is
# served once one of the first two leaves.
serve max "$SOCKKIT" listen -k --max-conns 2 --mode echo 127.0.0.1 0
bg "$SOCKKIT" connect 127.0.0.1 "$port" <&4 >/dev/null 2>&1
first=$!
bg "$SOCKKIT" connect 127.0.0.1 "$port" <&4 >/dev/null 2>&1
wait_established "$port" 2 5
bg sh -c 'printf "third\n" | timeout 20 "$0" connect 127.0.0.1 "$1"' \
    "$SOCKKIT" "$port" >"$TMP/third.out" 2>/dev/null
third=$!
sleep 0.5
is "$(cat "$TMP/third.out")" "" \
    "--max-conns 2: the third client is not served while two are"
kill "$first"
wait_pid "$third" 20
is "$(cat "$TMP/third.out")" "third" \
    "--max-conns 2: the third is served once one of them leaves"
is "$(grep -c refused "$TMP/max.err")" 0 "--max-conns 2: nobody is refused"

# Clients that reset while stdin is being sent to everyone: a client
# closed while sending to it may still have events waiting in the same
# round; the server must survive them and go on serving.
# (stdin by process substitution, so that bg's pid is sockkit itself)
bg "$SOCKKIT" listen -k 127.0.0.1 0 < <(exec yes "to all clients") >/dev/null 2>"$TMP/storm.err"
spid=$!
port=$(listen_port "$TMP/storm.err")
timeout 30 $PEER rst-client "$port" 120 >/dev/null 2>&1
# (stdin that stays open: relay -k closes a client once it has sent EOF)
got=$(timeout 10 "$SOCKKIT" connect 127.0.0.1 "$port" 2>/dev/null <&4 | head -n 1)
is "$got" "to all clients" "relay -k: after 120 clients reset mid-broadcast, the next one is served"
is "$(grep -c AddressSanitizer "$TMP/storm.err")" 0 "relay -k: no memory error while clients reset"

# -k takes all the descriptors the hard limit allows: with a soft limit of
# 32, 40 clients that stay and one more are all served.
if [ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -gt 100 ]; then
	bg bash -c 'ulimit -Sn 32 && exec "$0" listen -k --mode echo 127.0.0.1 0' "$SOCKKIT" \
	    >/dev/null 2>"$TMP/lim.err"
	port=$(listen_port "$TMP/lim.err")
	for i in $(seq 1 40); do
		bg "$SOCKKIT" connect 127.0.0.1 "$port" <&4 >/dev/null 2>&1
	done
	got=$(printf 'one more' | timeout 10 "$SOCKKIT" connect 127.0.0.1 "$port")
	is "$got" "one more" "-k with ulimit -Sn 32: the 41st client is served"
	is "$(grep -c 'Too many open files' "$TMP/lim.err")" 0 "-k with ulimit -Sn 32: never out of descriptors"
else
	skip "needs a hard descriptor limit over 100"
	skip "needs a hard descriptor limit over 100"
fi

done_testing
