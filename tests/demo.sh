#!/bin/bash
# tests/demo.sh: "sockkit demo": each scenario as root (in its private
# namespace) draws the packets it is about, and so it does as nobody where
# user namespaces are allowed; without them and without capture
# privileges it says so in one line and still shows the socket calls and
# TCP_INFO.
# Nothing here asserts timing.
. "$srcdir/lib.sh"

# run ARGS...: sockkit demo with stdout and stderr together in $out.
run() {
	"$SOCKKIT" demo "$@" >"$TMP/out" 2>&1 </dev/null
	rc=$?
	out=$(cat "$TMP/out")
}

# "${unpriv[@]}" CMD...: CMD as nobody with no capabilities (as root).
unpriv=(env)
[ "$(id -u)" = 0 ] && unpriv=(setpriv --reuid=nobody --regid=nogroup \
    --clear-groups --inh-caps=-all)

# nons: the prefix that takes user namespaces away.  Inside a user
# namespace that maps nobody the kernel refuses to make another one, so
# sockkit can neither capture nor make namespaces of its own.  Nothing
# there can pass a directory closed to nobody (a clone in mktemp -d, as
# CI makes), so the binary runs from a copy nobody can reach.
nons= nobin=$SOCKKIT
if [ "$(id -u)" = 0 ]; then
	chmod 711 "$TMP" && mkdir -m 755 "$TMP/bin" &&
	    cp "$SOCKKIT" "$TMP/bin/sockkit" && nobin=$TMP/bin/sockkit
fi
"${unpriv[@]}" unshare --user "$nobin" --version >/dev/null 2>&1 &&
    nons="unshare --user"

# as_nobody ARGS...: the same, without any privilege, nor user namespaces.
as_nobody() {
	# shellcheck disable=SC2086
	"${unpriv[@]}" $nons "$nobin" demo "$@" >"$TMP/out" 2>&1 </dev/null
	rc=$?
	out=$(cat "$TMP/out")
}

# as_user ARGS...: the same, without privilege but where the kernel allows
# user namespaces.
as_user() {
	"${unpriv[@]}" "$SOCKKIT" demo "$@" >"$TMP/out" 2>&1 </dev/null
	rc=$?
	out=$(cat "$TMP/out")
}

# before A B: the first line matching A comes before one matching B.
before() {
	printf '%s\n' "$out" | awk -v a="$1" -v b="$2" '
	    !fa && $0 ~ a { fa = NR } fa && $0 ~ b { ok = 1 } END { exit !ok }'
}

N=89
plan $N

# The command line, for everyone.
run --list
is "$rc" 0 "--list exits 0"
is "$(printf '%s\n' "$out" | wc -l)" 18 "--list: one line per scenario"
for s in handshake server-close half-close held-fin simultaneous-close refused \
    reset dropped udp zero-window nagle loss backlog syn-cookies keepalive \
    time-wait mss tls; do
	like "$out" "^$s +[a-z]" "--list names $s with its line"
done
run handshak3
is "$rc" 2 "an unknown scenario is a usage error"
like "$out" "unknown scenario 'handshak3'; did you mean 'handshake'" \
    "it names the scenario and the nearest one"
run refused udp
is "$rc" 2 "two scenarios are a usage error"
run --bogus
is "$rc" 2 "an unknown option is a usage error"
run --svg /nonexistent/dir/x.svg handshake
is "$rc" 1 "--svg in a missing directory: exit 1"
is "$out" "sockkit: demo: --svg /nonexistent/dir/x.svg: No such file or directory" \
    "--svg in a missing directory: one line, before anything is drawn"

# Without privileges: one line saying so, then the socket calls.
as_nobody
is "$rc" 0 "unprivileged handshake exits 0"
is "$(printf '%s\n' "$out" | grep -c 'no packet capture')" 1 \
    "it says once that there is no capture"
like "$out" "no packet capture.*run as root.*setcap cap_net_raw\+ep" \
    "and how to get the privilege"
like "$out" "client: connect\(\) to 127\.0\.0\.1" "the socket calls are shown"
like "$out" "TCP_INFO says ESTABLISHED, rtt [0-9.]+ ms" "and TCP_INFO"
like "$out" "server: recv\(\) = 0: EOF" "the server sees the client's close"
as_nobody refused
like "$out" "connect\(\) failed: ECONNREFUSED" \
    "unprivileged refused: connect() fails with ECONNREFUSED"
as_nobody udp
like "$out" "recv\(\) failed: ECONNREFUSED" \
    "unprivileged udp: the port unreachable as ECONNREFUSED"
as_nobody dropped
is "$rc" 0 "unprivileged dropped exits 0"
like "$out" "TCP_INFO says SYN_SENT, rtt [0-9.]+ ms, [1-9][0-9]* retransmits" \
    "unprivileged dropped: TCP_INFO counts the SYN retransmissions"

as_nobody simultaneous-close
like "$out" "simultaneous-close needs a private network namespace.*run it as root" \
    "unprivileged simultaneous-close without namespaces: what it needs"

# Not root, where the kernel allows user namespaces: the whole demo in
# namespaces of its own, captured, and no capability left on the host.
if "${unpriv[@]}" unshare --user --map-root-user --net ip link set lo up \
    2>/dev/null; then
	as_user --ascii
	is "$rc" 0 "unprivileged with user namespaces: handshake exits 0"
	like "$out" "in a private network namespace, inside a user namespace" \
	    "it runs in namespaces of its own"
	like "$out" "SYN_SENT +-- SYN seq=0" "the client's SYN is captured"
	like "$out" "verdict: closed by A" "and drawn to the verdict"
	printf '%s\n' "$out" | grep -q 'no packet capture'
	ok $((!$?)) "it does not say that it cannot capture"
	as_user --ascii simultaneous-close
	like "$out" "retransmission of 15:16" \
	    "simultaneous-close: its nft rule works there too"
	nft list tables 2>/dev/null | grep -q sockkit_demo
	ok $((!$?)) "the drop rule stayed in its namespace"
	"${unpriv[@]}" "$SOCKKIT" demo --ascii dropped >"$TMP/drop" 2>&1 </dev/null &
	pid=$!
	wait_for_line "$TMP/drop" 'SYN retransmission #1' 10
	st=$(cat "/proc/$pid/status" 2>/dev/null)
	like "$st" "^CapEff:[[:space:]]+0+$" "dropped: the demo keeps no capability"
	like "$st" "^NoNewPrivs:[[:space:]]+1$" "and no_new_privs is set"
	wait "$pid"
	is $? 0 "dropped exits 0"
else
	for _ in $(seq 10); do skip "no user namespaces here"; done
fi

if [ "$(id -u)" != 0 ]; then
	for _ in $(seq $((N - _n))); do skip "needs root"; done
	exit 0
fi

run --ascii
is "$rc" 0 "handshake (the default) exits 0"
like "$out" "private network namespace" "it runs in a namespace of its own"
like "$out" "SYN_SENT +-- SYN seq=0" "the client's SYN"
like "$out" "<-- SYN,ACK seq=0 ack=1" "the server's SYN,ACK"
like "$out" "ESTABLISHED +-- ACK ack=1 " "the client's ACK"
like "$out" "client: close\(\); A: ESTABLISHED -> FIN_WAIT_1" \
    "the client enters FIN_WAIT_1 at its close()"
like "$out" "<-- FIN" "the server's FIN"
like "$out" "TIME_WAIT" "TIME_WAIT"
like "$out" "verdict: closed by A" "the verdict: the client closed"
before "client: close\\(\\)" "^ *[0-9.]+ +-- FIN"
ok $? "client: close() is drawn before its FIN"

run --ascii server-close
is "$rc" 0 "server-close exits 0"
like "$(printf '%s\n' "$out" | grep -m1 -E -- '(^| )(<--|--) FIN')" "<-- FIN" \
    "the server's FIN comes first"
like "$out" "(CLOSE_WAIT +-- ACK|recv\(\) = 0.*A: ESTABLISHED -> CLOSE_WAIT)" \
    "the client is CLOSE_WAIT once its ACK shows it got the FIN"
like "$out" "verdict: closed by B" "the verdict: the server closed"
like "$out" "server: port [0-9]+ is in TIME_WAIT" "the server is left in TIME_WAIT"

run --ascii half-close
is "$rc" 0 "half-close exits 0"
like "$out" "shutdown\(SHUT_WR\)" "the client shuts down writing"
before "^ *[0-9.]+ +-- FIN" '<-- PSH,ACK .*"answer after you'
ok $? "the server's answer comes after the client's FIN"
like "$out" 'client: recv 22 "answer after your FIN"' "and the client reads it"

run --ascii held-fin
is "$rc" 0 "held-fin exits 0"
like "$out" "client: shutdown\(SHUT_WR\).*; A: ESTABLISHED -> FIN_WAIT_1" \
    "held-fin: the client is in FIN_WAIT_1 from its shutdown() on"
before "TCP_INFO says FIN_WAIT1" "-- FIN"
ok $? "held-fin: TCP_INFO says FIN_WAIT1 before the FIN leaves"

run --ascii refused
is "$rc" 0 "refused exits 0"
like "$out" "<-- RST,ACK" "the SYN is answered by a RST"
like "$out" "refused" "the note says refused"

run --ascii reset
is "$rc" 0 "reset exits 0"
like "$out" "-- RST" "the client's RST"
like "$out" "abort" "the note says abort"
like "$out" "server: recv\(\) failed: ECONNRESET" "the server sees ECONNRESET"

run --ascii udp
is "$rc" 0 "udp exits 0"
like "$out" 'UDP len=5 "ping' "the datagram"
like "$out" 'UDP len=5 "pong' "its reply"
like "$out" "<-- ICMP port unreachable" "the closed port's ICMP port unreachable"

if command -v nft >/dev/null 2>&1 || [ -x /usr/sbin/nft ]; then
	run --ascii dropped
	is "$rc" 0 "dropped exits 0"
	like "$out" "SYN retransmission #2" "the kernel's SYN retries are drawn"
	like "$out" "TCP_INFO says SYN_SENT" "TCP_INFO: still SYN_SENT"
	run --ascii simultaneous-close
	is "$rc" 0 "simultaneous-close exits 0"
	# Each FIN is sent before the other arrives (its ack does not cover
	# it): FIN_WAIT_1 on both sides, whatever order the resent FINs take.
	like "$out" "server: shutdown\(SHUT_WR\); B: ESTABLISHED -> FIN_WAIT_1" \
	    "the server's FIN does not acknowledge the client's: FIN_WAIT_1"
	like "$out" "simultaneous close: " "called a simultaneous close"
	like "$out" "TCP_INFO says FIN_WAIT1.*" "TCP_INFO: FIN_WAIT1 before the FINs arrive"
	like "$out" "simultaneous close" "the note says simultaneous close"
	nft list tables 2>/dev/null | grep -q sockkit_demo
	ok $((!$?)) "the drop rule stayed in the private namespace"
else
	for _ in $(seq 8); do skip "needs nft"; done
fi
done_testing
