# raw-trace.sh: sockkit raw icmp|udp|tcp --traceroute across three
# namespaces (client, router, server): the router, then the destination;
# a router that never answers; a TCP port that is open; IPv6; the capture
# options (--trace, --json, --write, --svg); privileges; bad input.
. "$srcdir/lib.sh"
. "$srcdir/raw-icmp-env.sh"
need_root
need_cmd ip nft tcpdump setpriv xmllint
icmp_path || skip_all "cannot create network namespaces"
plan 43

# hops OUTPUT: "TTL ADDRESS" per hop line ("TTL *" for a silent hop).
hops() { awk '/^ *[0-9]+ / { print $1, $2 }' | tr '\n' ';'; }

for p in icmp udp tcp; do
	out=$(in_ns "$RC" "$SOCKKIT" raw $p --traceroute "$RS4"); rc=$?
	is "$rc" 0 "$p: exit 0 at the destination"
	is "$(echo "$out" | hops)" "1 $RR4;2 $RS4;" "$p: the router, then the destination"
	like "$(echo "$out" | sed -n 2p)" "^ 1  $RR4  [0-9.]+ ms  [0-9.]+ ms  [0-9.]+ ms$" \
	    "$p: three times for the router"
done
# Neighbour discovery first: an unresolved neighbour queues 3 packets only.
in_ns "$RC" ping -6 -n -c 1 -W 3 "$RS6" >/dev/null
for p in icmp udp tcp; do
	out=$(in_ns "$RC" "$SOCKKIT" raw $p --traceroute -6 -W 2 "$RS6")
	is "$(echo "$out" | hops)" "1 $RR6;2 $RS6;" "$p IPv6: the router, then the destination"
done
out=$(in_ns "$RC" "$SOCKKIT" raw tcp --traceroute -p 7 "$RS4")
like "$out" "^ 2  $RS4 .*\[closed\]$" "tcp: a closed port's RST ends the trace"
bg ip netns exec "$RS" "$SOCKKIT" listen -k --mode discard "$RS4" 8080 \
    >/dev/null 2>"$TMP/l.err"
wait_for_line "$TMP/l.err" '^Listening on ' 5
out=$(in_ns "$RC" "$SOCKKIT" raw tcp --traceroute -p 8080 "$RS4")
like "$out" "^ 2  $RS4 .*\[open\]$" "tcp: an open port's SYN,ACK ends the trace"
out=$(in_ns "$RC" "$SOCKKIT" raw udp --traceroute -q 1 --first-ttl 2 "$RS4")
is "$(echo "$out" | hops)" "2 $RS4;" "--first-ttl 2 -q 1: the destination only"

# The capture: each probe, the router's time exceeded in the probe's own
# conversation, and the destination's answer.
for p in icmp udp tcp; do
	err=$(in_ns "$RC" "$SOCKKIT" raw $p --traceroute -q 1 --trace \
	    --color=never "$RS4" 2>&1 >/dev/null); rc=$?
	is "$rc $(echo "$err" | grep -c 'time exceeded from '"$RR4"' (on the path)')" \
	    "0 1" "$p --trace: exit 0, the router's time exceeded drawn once"
	like "$err" "this host: (send|connect)\(\) TTL 1, 1 probe" \
	    "$p --trace: the first hop's send in the margin"
done
err=$(in_ns "$RC" "$SOCKKIT" raw icmp --traceroute --trace --color=never \
    "$RS4" 2>&1 >/dev/null)
is "$(echo "$err" | grep -c '^conversation ')" 1 \
    "icmp --trace: echoes and the errors about them in one conversation"
like "$(echo "$err" | grep -c 'echo reply')" "^[1-9]" "icmp --trace: the replies drawn"
in_ns "$RC" "$SOCKKIT" raw udp --traceroute -N 1 -q 2 --write "$TMP/t.pcap" \
    "$RS4" >/dev/null 2>&1
is "$(tcpdump -nn -r "$TMP/t.pcap" 2>/dev/null | grep -o 'time exceeded\|udp port [0-9]* unreachable\|UDP, length 24' | sed 's/port [0-9]*/port N/' | sort | uniq -c | awk '{$1=$1; print}' | tr '\n' ';')" \
    "4 UDP, length 24;2 time exceeded;2 udp port N unreachable;" \
    "udp --write: 2 probes per hop, 2 time exceeded, 2 port unreachable"
json=$(in_ns "$RC" "$SOCKKIT" raw tcp --traceroute -q 1 --json "$RS4" 2>&1 >/dev/null)
like "$(echo "$json" | head -n 1)" '^\{' "tcp --json: JSON objects on stderr"
like "$json" '"time exceeded' "tcp --json: the router's error in them"
in_ns "$RC" "$SOCKKIT" raw icmp --traceroute --svg "$TMP/t.svg" "$RS4" >/dev/null 2>&1
ok "$(xmllint --noout "$TMP/t.svg" >/dev/null 2>&1; echo $?)" \
    "icmp --svg: a well-formed picture"
out=$(in_ns "$RC" setpriv --reuid=65534 --regid=65534 --clear-groups \
    "$SOCKKIT" raw udp --traceroute --trace "$RS4" 2>&1); rc=$?
like "$rc $out" "^1 sockkit: raw: udp --traceroute: .*CAP_NET_RAW" \
    "nobody, --trace: exit 1, CAP_NET_RAW named"
is "$(echo "$out" | grep -c '^ *[0-9]')" 0 "nobody, --trace: no hop probed"
out=$(in_ns "$RC" setpriv --reuid=65534 --regid=65534 --clear-groups \
    "$SOCKKIT" raw udp --traceroute "$RS4" 2>&1)
is "$(echo "$out" | hops)" "1 $RR4;2 $RS4;" "nobody: udp probes need no privilege"

# A router that never answers: one '*' per probe, the path goes on.
in_ns "$RR" nft -f - <<NFT
table inet silent {
	chain out {
		type filter hook output priority 0; policy accept;
		icmp type time-exceeded drop
		icmpv6 type time-exceeded drop
	}
}
NFT
for p in icmp udp tcp; do
	out=$(in_ns "$RC" "$SOCKKIT" raw $p --traceroute -W 1 "$RS4"); rc=$?
	is "$rc $(echo "$out" | hops)" "0 1 *;2 $RS4;" "$p: a silent router, then the destination"
done
out=$(in_ns "$RC" "$SOCKKIT" raw udp --traceroute -N 1 -W 0.5 "$RS4")
is "$(echo "$out" | hops)" "1 *;2 $RS4;" "-N 1: one hop at a time, the same path"
# --max-ttl below the destination: no answer from it, exit 1.
out=$(in_ns "$RC" "$SOCKKIT" raw icmp --traceroute --max-ttl 1 -W 0.3 "$RS4"); rc=$?
is "$rc $(echo "$out" | hops)" "1 1 *;" "--max-ttl 1 short of the destination: exit 1"

# As root: the sockets (and capture) opened, then the probes run as nobody
# (a silent first hop and a 3 s wait keep it alive while we look).
bg ip netns exec "$RC" "$SOCKKIT" raw icmp --traceroute --max-ttl 1 -W 3 --write \
    "$TMP/d.pcap" "$RS4" >"$TMP/d.out" 2>&1
pid=$!
wait_for_line "$TMP/d.out" '^traceroute to ' 5
is "$(awk '$1 == "Uid:" { print $2 } $1 == "CapEff:" { print $2 }' /proc/$pid/status | tr '\n' ' ')" \
    "65534 0000000000000000 " "root: the trace runs as nobody, no capability"
wait_pid "$pid" 10

bad() {
	_d=$1 _re=$2; shift 2
	out=$("$SOCKKIT" raw "$@" 2>&1); _rc=$?
	if [ "$_rc" = 2 ] && printf '%s\n' "$out" | grep -Eq -- "$_re"; then
		ok 0 "bad input: $_d"; else ok 1 "bad input: $_d"; echo "# $_rc $out"; fi
}
bad "--first-ttl 0" "--first-ttl '0': out of range 1-255" icmp --traceroute --first-ttl 0 127.0.0.1
bad "--max-ttl 256" "--max-ttl '256': out of range 1-255" udp --traceroute --max-ttl 256 127.0.0.1
bad "first above max" "--first-ttl 5 is above --max-ttl 2" tcp --traceroute --first-ttl 5 --max-ttl 2 127.0.0.1
bad "-q 0" "-q '0': out of range 1-10" icmp --traceroute -q 0 127.0.0.1
bad "-p on icmp" "only udp and tcp probes have ports" icmp --traceroute -p 80 127.0.0.1
bad "--trace=x" "--trace" icmp --traceroute --trace=x 127.0.0.1
bad "--data-preview x" "--data-preview 'x'" udp --traceroute --data-preview x 127.0.0.1
done_testing
