#!/bin/bash
# tests/failures.sh: each failure with its exit status and its message:
# refused, timed out (a port dropped by nftables in a network namespace
# made here), unknown host, bad port, port in use, low port, --deny and
# --allow, reset by the peer, stdout closed early, signals while busy.
. "$srcdir/lib.sh"
need_cmd python3

# run ARGS...: sockkit ARGS with stdin /dev/null; sets $rc, $out and $err.
run() {
	timeout 20 "$SOCKKIT" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
}

# Refused.
closed=$(free_port)
run connect 127.0.0.1 "$closed"
is "$rc" 1 "refused: exit 1"
is "$err" "sockkit: connect 127.0.0.1 port $closed: Connection refused" "refused: message"
run connect -6 ::1 "$closed"
is "$err" "sockkit: connect ::1 port $closed: Connection refused" "refused over IPv6: message"

# Unknown host (names it), bad port (exit 2, names it).
run connect no-such-host.invalid 80
is "$rc" 1 "unknown host: exit 1"
like "$err" "^sockkit: connect: unknown host 'no-such-host\.invalid': " "unknown host: named"
run connect 127.0.0.1 99999
is "$rc" 2 "bad port 99999: exit 2"
like "$err" "^sockkit: connect: bad port '99999': out of range 1-65535$" "bad port 99999: named"
run connect 127.0.0.1 no-such-service
is "$rc" 2 "bad port name: exit 2"
like "$err" "bad port 'no-such-service': not a number or a known tcp service name" "bad port name: named"
run listen 127.0.0.1 65536
is "$rc" 2 "listen bad port: exit 2"
like "$err" "^sockkit: listen: bad port '65536': out of range 0-65535$" "listen bad port: named"

# Port in use.
serve busy "$SOCKKIT" listen 127.0.0.1 0
run listen 127.0.0.1 "$port"
is "$rc" 1 "port in use: exit 1"
like "$err" "^sockkit: listen 127\.0\.0\.1 port $port: Address already in use" "port in use: address, port and reason"
kill "$pid"

# A low port without privileges (as nobody).
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null &&
    [ "$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start 2>/dev/null)" -gt 79 ]; then
	timeout 10 setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$SOCKKIT" listen 127.0.0.1 79 </dev/null >/dev/null 2>"$TMP/err"
	is "$?" 1 "low port as nobody: exit 1"
	like "$(cat "$TMP/err")" "^sockkit: listen 127\.0\.0\.1 port 79: Permission denied \(ports below 1024 need root" \
	    "low port as nobody: says why"
else
	skip "low port: needs root, setpriv and privileged low ports"
	skip "low port: needs root, setpriv and privileged low ports"
fi

# --deny: the client is closed at once; the server says so and waits for
# the next client (without -k) or serves others (with -k).
serve deny "$SOCKKIT" listen -v --deny 127.0.0.0/8 0
run connect 127.0.0.1 "$port"
is "$rc" 0 "--deny: the client sees a plain close (exit 0)"
is "$out" "" "--deny: the client gets no data"
wait_for_line "$TMP/deny.err" denied 5
like "$(cat "$TMP/deny.err")" "^sockkit: listen: connection from 127\.0\.0\.1 port [0-9]+ denied \(--deny 127\.0\.0\.0/8\)$" \
    "--deny: the server says denied, naming the client and the rule (v4-mapped on dual stack)"
got=$(printf six | timeout 10 "$SOCKKIT" connect ::1 "$port")
wait_pid "$pid" 10
is "$(cat "$TMP/deny.out")" "six" "--deny: the next allowed client (::1) is served"
serve denyk "$SOCKKIT" listen -k --mode echo --deny ::1 --allow 127.0.0.1 0
got=$(printf four | timeout 10 "$SOCKKIT" connect 127.0.0.1 "$port")
is "$got" "four" "-k --allow 127.0.0.1: that client is served"
got=$(printf six | timeout 10 "$SOCKKIT" connect ::1 "$port" 2>/dev/null)
is "$got" "" "-k --deny ::1: that client gets nothing"
like "$(cat "$TMP/denyk.err")" "connection from ::1 port [0-9]+ denied \(--deny ::1\)$" "-k --deny: the server says denied"
serve allow "$SOCKKIT" listen -k --mode echo --allow 10.0.0.0/8 127.0.0.1 0
got=$(printf x | timeout 10 "$SOCKKIT" connect 127.0.0.1 "$port" 2>/dev/null)
is "$got" "" "--allow elsewhere: the client gets nothing"
wait_for_line "$TMP/allow.err" denied 5
like "$(cat "$TMP/allow.err")" "connection from 127\.0\.0\.1 port [0-9]+ denied \(not in any --allow block\)$" \
    "--allow elsewhere: the server says why"

# Reset by the peer: exit 1, "Connection reset by peer".
bg $PEER rst 2>"$TMP/rst.err"
port=$(listen_port "$TMP/rst.err")
got=$(printf 'hi\n' | timeout 10 "$SOCKKIT" connect 127.0.0.1 "$port" 2>"$TMP/err")
is "$?" 1 "connect, peer resets: exit 1"
is "$(cat "$TMP/err")" "sockkit: recv from 127.0.0.1 port $port: Connection reset by peer" "connect, peer resets: message"
is "$got" "hello" "connect, peer resets: what came before the reset is kept"
serve lrst "$SOCKKIT" listen 127.0.0.1 0
timeout 10 $PEER rst-client "$port"
wait_pid "$pid" 10
is "$?" 1 "listen, client resets: exit 1"
like "$(cat "$TMP/lrst.err")" "^sockkit: (recv from|send to) 127\.0\.0\.1 port [0-9]+: Connection reset by peer$" \
    "listen, client resets: message"

# stdout closed early: exit 1 with a message, never killed by SIGPIPE.
head -c 4194304 /dev/zero >"$TMP/4m"
# (stdout by process substitution, so that bg's pid is sockkit itself)
bg "$SOCKKIT" listen -k 127.0.0.1 0 > >(exec head -c 1 >/dev/null) 2>"$TMP/pk.err"
pid=$!
port=$(listen_port "$TMP/pk.err")
timeout 10 "$SOCKKIT" connect 127.0.0.1 "$port" <"$TMP/4m" >/dev/null 2>&1
wait_pid "$pid" 10
is "$?" 1 "listen -k, stdout closed early: exit 1, not killed by SIGPIPE"
like "$(cat "$TMP/pk.err")" "^sockkit: write to stdout: Broken pipe$" "listen -k, stdout closed early: says so"
bg "$SOCKKIT" listen 127.0.0.1 0 > >(exec head -c 1 >/dev/null) 2>"$TMP/p1.err"
pid=$!
port=$(listen_port "$TMP/p1.err")
timeout 10 "$SOCKKIT" connect 127.0.0.1 "$port" <"$TMP/4m" >/dev/null 2>&1
wait_pid "$pid" 10
is "$?" 1 "listen, stdout closed early: exit 1, not killed by SIGPIPE"
like "$(cat "$TMP/p1.err")" "^sockkit: write to stdout: Broken pipe$" "listen, stdout closed early: says so"

# Signals end sockkit even while it is busy moving data.  Each is sent
# once the connection is up: a background job of a script starts with
# SIGINT ignored, and one sent before sockkit's main() has set its
# handler would be lost.
lost=0
for i in 1 2 3; do
	bg "$SOCKKIT" listen -v 127.0.0.1 0 </dev/zero >/dev/null \
	    2>"$TMP/z.err"
	port=$(listen_port "$TMP/z.err")
	bg "$SOCKKIT" connect 127.0.0.1 "$port" </dev/zero >/dev/null 2>&1
	cp=$!
	wait_for_line "$TMP/z.err" "connection from" 10
	kill -INT "$cp"
	wait_pid "$cp" 5
	[ $? = 124 ] && lost=$((lost + 1))
done
is "$lost" 0 "SIGINT ends a busy sockkit connect"
bg "$SOCKKIT" listen -v -k --mode discard 127.0.0.1 0 >/dev/null \
    2>"$TMP/z.err"
sp=$!
port=$(listen_port "$TMP/z.err")
bg "$SOCKKIT" connect 127.0.0.1 "$port" </dev/zero >/dev/null 2>&1
wait_for_line "$TMP/z.err" "connection from" 10
kill "$sp"
wait_pid "$sp" 5
is "$?" 143 "SIGTERM ends a busy listen -k (and sockkit dies by it)"

# Timed out: a port dropped by nftables inside a network namespace.
if [ "$(id -u)" != 0 ] || ! command -v nft >/dev/null || ! command -v ip >/dev/null; then
	for i in 1 2 3 4 5 6 7 8 9 10 11; do skip "namespace tests need root, ip and nft"; done
	done_testing; exit
fi
ns=sk-$$-x
if make_netns "$ns" && ip netns exec "$ns" nft -f - <<'NFT'
table inet sktest {
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport 9 drop
		tcp dport 10 reject with icmp type host-unreachable
	}
}
NFT
then
	nsx() { ip netns exec "$ns" "$@"; }
	nsx timeout 20 "$SOCKKIT" connect -w 1 127.0.0.1 9 </dev/null >/dev/null 2>"$TMP/err"
	is "$?" 1 "dropped port, -w 1: exit 1"
	is "$(cat "$TMP/err")" "sockkit: connect 127.0.0.1 port 9: timed out after 1 s (-w)" \
	    "dropped port, -w 1: timed out"
	nsx timeout 20 "$SOCKKIT" connect -z -v -w 1 127.0.0.1 9 </dev/null 2>"$TMP/err"
	is "$?" 1 "dropped port, -z -w 1: exit 1"
	like "$(cat "$TMP/err")" "port 9: timed out after 1 s" "dropped port, -z -v: says timed out"
	# Unreachable: ICMP host unreachable from nftables.
	nsx timeout 20 "$SOCKKIT" connect -z -v -w 5 127.0.0.1 10 </dev/null 2>"$TMP/err"
	is "$?" 1 "unreachable, -z: exit 1"
	like "$(cat "$TMP/err")" "^sockkit: connect 127\.0\.0\.1 port 10: No route to host$" \
	    "unreachable, -z -v: says why"
	# A name with two addresses (the namespace's own hosts file): each is
	# tried in turn.
	mkdir -p "/etc/netns/$ns"
	printf '::1 twoaddr\n127.0.0.1 twoaddr\n' >"/etc/netns/$ns/hosts"
	p=$(nsx "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	nsx timeout 20 "$SOCKKIT" connect -v twoaddr "$p" </dev/null 2>"$TMP/err"
	is "$?" 1 "two addresses, both refused: exit 1"
	first=$(sed -n 's/^sockkit: connecting to \(.*\) port .* for twoaddr$/\1/p' "$TMP/err" | head -n 1)
	second=$(sed -n 's/^sockkit: connecting to \(.*\) port .* for twoaddr$/\1/p' "$TMP/err" | sed -n 2p)
	is "$(grep -c "port $p: Connection refused" "$TMP/err")" 2 "two addresses, both refused: each says so"
	bg ip netns exec "$ns" "$SOCKKIT" listen "$second" "$p" >"$TMP/two.out" 2>"$TMP/two.err"
	wait_for_line "$TMP/two.err" '^Listening on ' 5
	printf two | nsx timeout 20 "$SOCKKIT" connect -v twoaddr "$p" 2>"$TMP/err"
	is "$?" 0 "two addresses, the second listening: exit 0"
	like "$(cat "$TMP/err")" "^sockkit: connect $first port $p: Connection refused$" \
	    "two addresses: the first ($first) refused, then..."
	like "$(cat "$TMP/err")" "^sockkit: connected to $second port $p from " "...the second ($second) connected"
	# Without -w the kernel retries the SYN; -v says so.  (Stopped early.)
	nsx timeout 4 "$SOCKKIT" connect -v 127.0.0.1 9 </dev/null 2>"$TMP/err"
	like "$(cat "$TMP/err")" "the kernel is retrying the SYN \([0-9]+ retransmissions? so far; -w SECS gives up sooner\)" \
	    "dropped port, no -w: -v says the kernel is retrying"
else
	for i in 1 2 3 4 5 6 7 8 9 10 11; do skip "could not set up a network namespace with nftables"; done
fi

done_testing
