#!/bin/bash
# tests/trace.sh: live capture (--trace --json --write) against the truth:
# what tshark reads from a tcpdump capture of the same connection, on
# loopback and across a veth pair between two namespaces made here.
. "$srcdir/lib.sh"
need_root
need_cmd tcpdump tshark python3 ip
plan 43
H="python3 $srcdir/trace-helper.py"

# start_server MODE [NS] [ADDR]: a helper server; sets $port.
start_server() {
	rm -f "$TMP/port"
	bg ${2:+ip netns exec $2} $H server "$1" "$TMP/port" ${3:-127.0.0.1}
	wait_for_line "$TMP/port" . 10
	port=$(cat "$TMP/port")
}

# truth_sync: one UDP datagram to port 9 of the sync address, which the
# truth capture takes too (nothing needs to listen there).
truth_sync() {
	$_ns python3 -c 'import socket; socket.socket(socket.AF_INET,
	    socket.SOCK_DGRAM).sendto(b"'"${1:-x}"'", ("'"$_sync"'", 9))'
}

# truth_has MARK: whether the truth capture holds a sync datagram whose
# payload is MARK.
truth_has() {
	tcpdump -A -r "$TMP/truth.pcap" 'udp port 9' 2>/dev/null | grep -q "$1"
}

# truth_start NS IFACE [SYNC-ADDR]: tcpdump in namespace NS ("" for this
# one) on IFACE, waiting until it really captures (a sync datagram to
# SYNC-ADDR, 127.0.0.1 unless given).
truth_start() {
	_ns=${1:+ip netns exec $1}
	_sync=${3:-127.0.0.1}
	rm -f "$TMP/truth.pcap"
	$_ns tcpdump --immediate-mode -U -i "$2" -s 0 -w "$TMP/truth.pcap" \
	    "tcp or udp port 9" 2>/dev/null &
	_td=$!
	for _ in $(seq 100); do
		truth_sync
		[ "$(stat -c %s "$TMP/truth.pcap" 2>/dev/null || echo 0)" -gt 24 ] &&
		    return 0
		sleep 0.1
	done
	return 1
}

# truth_stop: stop the truth capture once it holds a sync datagram sent
# after the connection, so that a loaded machine loses none of its packets.
# Each such datagram carries a mark of its own: a count of datagrams would
# also grow with the ones truth_start sent before the connection that a
# loaded tcpdump had not written yet, and stop it before the connection's.
truth_stop() {
	_mark=0
	while [ $_mark -lt 100 ]; do
		_mark=$((_mark + 1))
		truth_sync "sk-stop-$$-$_mark"
		sleep 0.05
		truth_has "sk-stop-$$-" && break
	done
	kill -INT $_td; wait $_td 2>/dev/null
}

# truth_fields PORT: tshark's view of the connection to PORT.
truth_fields() {
	tshark -r "$TMP/truth.pcap" -Y "tcp.port == $1" -T fields \
	    -e tcp.srcport -e tcp.flags -e tcp.seq -e tcp.ack -e tcp.len \
	    2>/dev/null >"$TMP/tshark.txt"
}

# scenario NAME MODE NS ADDR IFACE: a server in NS (MODE normal or abort,
# or refused for none), "sockkit connect --json" from this namespace, a
# tcpdump beside it; sockkit's packets must be tshark's.
scenario() {
	name=$1 mode=$2 ns=$3 addr=$4 iface=$5 sync=127.0.0.1
	[ -n "${CLIENT_NS:-}" ] && sync=$addr
	if [ "$mode" = refused ]; then
		port=$(free_port)	# nothing listens there, in any namespace
	else
		start_server "$mode" "$ns" "$addr"
	fi
	if ! truth_start "${CLIENT_NS:-}" "$iface" "$sync"; then
		ok 1 "$name: tcpdump started"; ok 1 "$name: compared"
		ok 1 "$name: the reference model"; return
	fi
	# An abort meets no FIN of ours: the peer's RST and its answer to
	# our FIN would leave on two CPUs, and two captures may then see
	# them in either order.
	noshut=
	[ "$mode" = abort ] && noshut=--no-shutdown
	printf 'ping\n' | ${CLIENT_NS:+ip netns exec $CLIENT_NS} "$SOCKKIT" \
	    connect --json --linger-capture 1000 $noshut "$addr" "$port" \
	    >"$TMP/stdout" 2>"$TMP/json"
	rc=$?
	truth_stop
	truth_fields "$port"
	case $mode in refused|abort) want=1 ;; *) want=0 ;; esac
	is "$rc" "$want" "$name: exit status"
	out=$($H compare "$TMP/json" "$TMP/tshark.txt"); r=$?
	ok $r "$name: packets equal tshark's"
	[ $r = 0 ] || printf '%s\n' "$out" | sed 's/^/# /'
	# The reference model of RFC 9293 (apart from the tracker): every
	# state drawn live is allowed and has its evidence.
	out=$(python3 "$srcdir/tcp-model.py" "$TMP/json"); r=$?
	ok $r "$name: the states drawn pass the reference model"
	[ $r = 0 ] || printf '%s\n' "$out" | sed 's/^/# /'
}

scenario "loopback close" normal "" 127.0.0.1 lo
like "$(cat "$TMP/stdout")" '^pong:ping$' "loopback close: the reply arrived"
scenario "loopback refused" refused "" 127.0.0.1 lo
like "$(grep -c '"flags":"RST,ACK"' "$TMP/json")" '^1$' "loopback refused: one RST drawn"
scenario "loopback abort" abort "" 127.0.0.1 lo
like "$(grep '"type":"end"' "$TMP/json")" '"conn_state":"RSTR"' "loopback abort: RSTR"
scenario "loopback ipv6" normal "" ::1 lo

# A veth pair between two namespaces made for this test.
A=skA$$ B=skB$$
if make_netns $A && make_netns $B &&
    ip link add skvA$$ netns $A type veth peer name skvB$$ netns $B; then
	ip -n $A addr add 10.231.0.1/24 dev skvA$$
	ip -n $B addr add 10.231.0.2/24 dev skvB$$
	ip -n $A link set skvA$$ up
	ip -n $B link set skvB$$ up
	sleep 1
	CLIENT_NS=$A
	scenario "veth close" normal $B 10.231.0.2 skvA$$
	scenario "veth refused" refused $B 10.231.0.2 skvA$$
	scenario "veth abort" abort $B 10.231.0.2 skvA$$
	CLIENT_NS=
else
	for _ in 1 2 3 4 5 6 7 8 9; do skip "cannot make a veth pair here"; done
fi

# The ladder itself: calls and packets on one axis, this host, a verdict.
start_server normal
printf 'ping\n' | "$SOCKKIT" connect --trace --ascii --color=never 127.0.0.1 \
    "$port" >/dev/null 2>"$TMP/ladder"
ladder=$(cat "$TMP/ladder")
like "$ladder" "this host: connect\\(\\) to 127.0.0.1 port $port from port [0-9]+" \
    "--trace: draws the connect() call"
like "$ladder" "SYN_SENT +-- SYN seq=0 \\(ISN [0-9]+\\) win=[0-9]+ mss=" \
    "--trace: draws the SYN with its ISN and options"
like "$ladder" 'verdict: closed by B \(FIN first\)|verdict: closed by A \(this host\) \(FIN first\)' \
    "--trace: gives a verdict"
(sleep 1; printf 'hello\n') | "$SOCKKIT" listen --trace --ascii 127.0.0.1 0 \
    >/dev/null 2>"$TMP/lerr" &
lpid=$!
p=$(listen_port "$TMP/lerr")
printf 'x\n' | "$SOCKKIT" connect -q 2 127.0.0.1 "$p" >/dev/null 2>&1
wait_pid $lpid 10
like "$(cat "$TMP/lerr")" "this host: accept\\(\\) = client 127.0.0.1 port [0-9]+" \
    "listen --trace: draws accept()"

# listen -k --trace: the serve loop draws each client and its accept().
"$SOCKKIT" listen -k --mode echo --trace --ascii 127.0.0.1 0 2>"$TMP/kerr" &
kpid=$!
_pids="$_pids $kpid"
kp=$(listen_port "$TMP/kerr")
for w in one two; do
	echo $w | "$SOCKKIT" connect 127.0.0.1 "$kp" >/dev/null 2>&1
done
wait_for_line "$TMP/kerr" 'conversation 2: TCP' 5
kill -INT $kpid
wait_pid $kpid 5
is "$(grep -c 'this host: accept() = client 127.0.0.1 port' "$TMP/kerr")" 2 \
    "listen -k --trace: both accept() calls drawn"
is "$(grep -c 'verdict: closed by A' "$TMP/kerr")" 2 \
    "listen -k --trace: a verdict for each client at SIGINT"

# connect -z against a peer that does not close: this host called close(),
# which is no half-close, though no FIN comes back.
start_server hold
"$SOCKKIT" connect -z --trace --ascii --color=never 127.0.0.1 "$port" \
    2>"$TMP/zladder"
like "$(cat "$TMP/zladder")" 'this host: close\(\); A: ESTABLISHED -> FIN_WAIT_1' \
    "-z --trace: close() moves A to FIN_WAIT_1"
like "$(grep verdict "$TMP/zladder")" 'verdict: closed by A \(this host\) \(close\(\), FIN\), no FIN back observed' \
    "-z --trace against a slow peer: closed by A, not half-closed"

# udp --trace: the datagram, the echo, and the ICMP error of a closed port.
"$SOCKKIT" udp -l --mode echo 127.0.0.1 0 2>"$TMP/uerr" &
upid=$!
_pids="$_pids $upid"
up=$(listen_port "$TMP/uerr")
printf 'ping\n' | "$SOCKKIT" udp --json -w 0.5 127.0.0.1 "$up" \
    >"$TMP/uout" 2>"$TMP/ujson"
is "$(cat "$TMP/uout")" "ping" "udp --json: the echo arrived"
is "$(grep -c '"type":"packet".*"proto":"udp"' "$TMP/ujson")" 2 \
    "udp --json: the datagram and its echo, one event each"
printf 'x\n' | "$SOCKKIT" udp --trace --ascii -w 1 127.0.0.1 "$(free_port)" \
    >/dev/null 2>"$TMP/uladder"
is "$?" 1 "udp --trace to a closed port: exit 1"
like "$(cat "$TMP/uladder")" 'ICMP|icmp' "udp --trace: draws the ICMP port unreachable"
out=$("$SOCKKIT" udp --trace -U "$TMP/nosuch.sock" </dev/null 2>&1)
is "$?" 2 "udp --trace -U: a usage error"

# --write: the file holds the connection; tcpdump and tshark agree.
start_server normal
printf 'ping\n' | "$SOCKKIT" connect --write "$TMP/w.pcap" --json \
    127.0.0.1 "$port" >/dev/null 2>"$TMP/json"
n=$(grep -c '"type":"packet"' "$TMP/json")
is "$(tcpdump -r "$TMP/w.pcap" 2>/dev/null | wc -l)" "$n" "--write: tcpdump reads every packet"
is "$(tshark -r "$TMP/w.pcap" 2>/dev/null | wc -l)" "$n" "--write: tshark reads every packet"

# SIGINT in the middle of a connection leaves a valid file.
start_server hold
(printf 'ping\n'; sleep 5) | "$SOCKKIT" connect --write "$TMP/int.pcap" \
    127.0.0.1 "$port" >/dev/null 2>&1 &
pid=$!
sleep 1
kill -INT $pid
wait_pid $pid 5
like "$(tcpdump -r "$TMP/int.pcap" 2>/dev/null | wc -l)" '^([4-9]|[1-9][0-9])$' \
    "SIGINT: the file has the packets so far"

# Without CAP_NET_RAW: the message, exit 1, and nothing sent.
cp "$SOCKKIT" "$TMP/sockkit"; chmod 755 "$TMP" "$TMP/sockkit"
start_server normal
truth_start "" lo
out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
    "$TMP/sockkit" connect --trace 127.0.0.1 "$port" </dev/null 2>&1)
rc=$?
truth_stop
is "$rc" 1 "unprivileged: exit 1"
like "$out" "^sockkit: connect: capture: permission denied: .*CAP_NET_RAW.*setcap cap_net_raw\\+ep " \
    "unprivileged: says what is missing and how to grant it"
is "$(tcpdump -r "$TMP/truth.pcap" "tcp port $port" 2>/dev/null | wc -l)" 0 \
    "unprivileged: nothing was sent"
done_testing
