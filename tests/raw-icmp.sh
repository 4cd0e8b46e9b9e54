# raw-icmp.sh: sockkit raw icmp beside iputils ping: counts and TTL over
# loopback, to a veth neighbour and through a router, IPv4 and IPv6; 100%
# loss; ICMP errors; the ping-socket fallback and its refusal; the
# privilege drop; --write and --trace; bad input.
. "$srcdir/lib.sh"
. "$srcdir/raw-icmp-env.sh"
need_root
need_cmd ip nft ping setpriv tshark
icmp_path || skip_all "cannot create network namespaces"
plan 46

# status_like WANT GOT TEXT REGEX DESC: exit status GOT is WANT and a line
# of TEXT matches REGEX.
status_like() {
	_want=$1 _got=$2 _text=$3 _re=$4
	if [ "$_got" = "$_want" ] && printf '%s\n' "$_text" | grep -Eq -- "$_re"
	then ok 0 "$5"; else ok 1 "$5"; echo "#   exit $_got (want $_want): $_text"; fi
}

# counts OUTPUT: "TRANSMITTED RECEIVED" from a ping-style summary.
counts() { sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\1 \2/p'; }
# ttls OUTPUT: the distinct ttl= values of the reply lines.
ttls() { grep -o 'ttl=[0-9]*' | sort -u | tr '\n' ' '; }

# same_as_ping NS DESC ARGS...: counts and TTL as ping's, exit 0.
same_as_ping() {
	_ns=$1 _d=$2; shift 2
	_sk=$(in_ns "$_ns" "$SOCKKIT" raw icmp -c 3 -i 0.2 "$@"); _rc=$?
	# -w: ping waits for every reply (up to 10 s) rather than for twice
	# the longest round trip, which a loaded machine can exceed.
	_pg=$(in_ns "$_ns" ping -n -c 3 -i 0.2 -w 10 "$@")
	is "$_rc" 0 "$_d: exit 0"
	is "$(echo "$_sk" | counts)" "$(echo "$_pg" | counts)" \
	    "$_d: transmitted and received as ping"
	is "$(echo "$_sk" | ttls)" "$(echo "$_pg" | ttls)" "$_d: TTL as ping"
}

same_as_ping "$RC" "loopback" 127.0.0.1
same_as_ping "$RC" "veth neighbour" "$RR4"
same_as_ping "$RC" "through the router" "$RS4"
same_as_ping "$RC" "ICMPv6 ::1" -6 ::1
same_as_ping "$RC" "ICMPv6 through the router" "$RS6"

out=$(in_ns "$RC" "$SOCKKIT" raw icmp -c 2 -i 0.2 -s 1000 "$RR4")
like "$out" "^1008 bytes from $RR4: icmp_seq=2 ttl=64 time=" "-s 1000: 1008-byte replies"
like "$out" "rtt min/avg/max/mdev = [0-9.]+/[0-9.]+/[0-9.]+/[0-9.]+ ms" "rtt summary"

# A namespace that drops ICMP: 100% loss, exit 1.
in_ns "$RS" nft -f - <<NFT
table inet skdrop {
	chain in {
		type filter hook input priority 0; policy accept;
		ip protocol icmp drop
		icmpv6 type echo-request drop
	}
}
NFT
out=$(in_ns "$RC" "$SOCKKIT" raw icmp -c 3 -i 0.2 -W 0.5 "$RS4"); rc=$?
is "$rc" 1 "all lost: exit 1"
like "$out" "^3 packets transmitted, 0 received, 100% packet loss" "all lost: 100% loss"
out=$(in_ns "$RC" "$SOCKKIT" raw icmp -c 2 -i 0.2 -W 0.5 "$RS6"); rc=$?
status_like 1 "$rc" "$out" "100% packet loss" "ICMPv6 all lost: exit 1, 100% loss"
in_ns "$RS" nft delete table inet skdrop

# ICMP errors: TTL 1 expires at the router.
out=$(in_ns "$RC" "$SOCKKIT" raw icmp -c 2 -i 0.2 -W 0.5 --ttl 1 "$RS4"); rc=$?
like "$out" "^From $RR4: icmp_seq=1 time exceeded \(type 11 code 0\)" "--ttl 1: time exceeded from the router"
status_like 1 "$rc" "$out" "^2 packets transmitted, 0 received, \+2 errors" \
    "--ttl 1: errors counted, exit 1"
out=$(in_ns "$RC" "$SOCKKIT" raw icmp -c 1 -W 0.5 --ttl 1 -6 "$RS6")
like "$out" "^From $RR6: icmp_seq=1 time exceeded \(type 3 code 0\)" "ICMPv6 --ttl 1: time exceeded"

# Unprivileged: a ping socket where ping_group_range allows it.
asnobody() { in_ns "$RC" setpriv --reuid=65534 --regid=65534 --clear-groups \
    --inh-caps=-all --bounding-set=-all "$@"; }
in_ns "$RC" sysctl -qw net.ipv4.ping_group_range="0 2147483647"
out=$(asnobody "$SOCKKIT" raw icmp -c 2 -i 0.2 "$RR4"); rc=$?
is "$rc $(echo "$out" | counts)" "0 2 2" "nobody, ping socket allowed: 2 of 2"
out=$(asnobody "$SOCKKIT" raw icmp -c 2 -i 0.2 -6 "$RR6"); rc=$?
is "$rc $(echo "$out" | counts)" "0 2 2" "nobody, ICMPv6 ping socket: 2 of 2"
in_ns "$RC" sysctl -qw net.ipv4.ping_group_range="1 0"
in_ns "$RR" nft -f - <<NFT
table inet seen {
	counter echoes { }
	chain in {
		type filter hook input priority 0; policy accept;
		icmp type echo-request counter name echoes
	}
}
NFT
out=$(asnobody "$SOCKKIT" raw icmp -c 2 -i 0.2 "$RR4" 2>&1); rc=$?
is "$rc" 1 "nobody, range closed: exit 1"
like "$out" "CAP_NET_RAW.*ping_group_range \"1 0\".*setcap cap_net_raw" \
    "nobody, range closed: the message names both ways"
like "$(in_ns "$RR" nft list counter inet seen echoes)" "packets 0 " \
    "nobody, range closed: nothing sent"
out=$(asnobody "$SOCKKIT" raw icmp -i 0 "$RR4" 2>&1); rc=$?
status_like 2 "$rc" "$out" "-i '0': below 0.2 s" "nobody: -i 0 is a usage error"

# As root: the socket is opened, then the process runs as nobody.
bg "$SOCKKIT" raw icmp -c 0 -i 0.2 127.0.0.1 >"$TMP/run.out" 2>&1
pid=$!
wait_for_line "$TMP/run.out" "icmp_seq=1 " 5
like "$(grep '^Uid:' /proc/$pid/status)" "^Uid:[[:space:]]+65534[[:space:]]+65534" "root: runs as nobody"
like "$(grep '^CapEff:' /proc/$pid/status)" "^CapEff:[[:space:]]+0+$" "root: no capabilities left"
wait_for_line "$TMP/run.out" "icmp_seq=2 " 5
kill -INT "$pid"
wait_pid "$pid" 5; rc=$?
is "$rc" 0 "-c 0: SIGINT ends it with exit 0"
like "$(cat "$TMP/run.out")" "^[0-9]+ packets transmitted, [0-9]+ received, 0% packet loss" \
    "-c 0: the summary after SIGINT"

# --write and --trace: the exchange captured and drawn.
"$SOCKKIT" raw icmp -c 2 -i 0.2 --write "$TMP/e.pcap" 127.0.0.1 >"$TMP/e.out" 2>&1
is "$(tshark -r "$TMP/e.pcap" -Y icmp -T fields -e icmp.type 2>"$TMP/e.tshark" | sort | uniq -c | awk '{print $1 "x" $2}' | tr '\n' ' ')" \
    "2x0 2x8 " "--write: two requests and two replies" ||
    diag "sockkit said: $(cat "$TMP/e.out"); tshark said: $(cat "$TMP/e.tshark")"
err=$("$SOCKKIT" raw icmp -c 1 --trace --color=never 127.0.0.1 2>&1 >/dev/null)
like "$err" "echo request" "--trace: the request drawn"
like "$err" "echo reply" "--trace: the reply drawn"

# Flood as root: every reply in, none mismatched.
out=$("$SOCKKIT" raw icmp -c 2000 -i 0 127.0.0.1)
like "$out" "^2000 packets transmitted, 2000 received, 0% packet loss" "-i 0: 2000 of 2000"

# Other processes' ICMP on the same host: every raw socket sees every echo
# reply; each run counts its own only (identifier, sequence, cookie).
# ping runs on its ping socket (ping_group_range opened in the namespace):
# as root it would take a raw socket whose filter lets every echo request
# in, and on a loaded machine the flood's 3000 requests can fill its
# receive buffer before it reads, a loss of ping's own making.
in_ns "$RC" sysctl -qw net.ipv4.ping_group_range="0 2147483647"
bg in_ns "$RC" "$SOCKKIT" raw icmp -c 10 -i 0.2 127.0.0.1 >"$TMP/m1.out" 2>&1; m1=$!
bg in_ns "$RC" "$SOCKKIT" raw icmp -c 10 -i 0.2 127.0.0.1 >"$TMP/m2.out" 2>&1; m2=$!
bg in_ns "$RC" ping -n -c 10 -i 0.2 -w 20 127.0.0.1 >"$TMP/m3.out" 2>&1; m3=$!
out=$(in_ns "$RC" "$SOCKKIT" raw icmp -c 3000 -i 0 127.0.0.1)
wait_pid $m1 10; wait_pid $m2 10; wait_pid $m3 25
in_ns "$RC" sysctl -qw net.ipv4.ping_group_range="1 0"
is "$(cat "$TMP/m1.out" "$TMP/m2.out" | counts | tr '\n' ' ')$(grep -c DUP "$TMP/m1.out" "$TMP/m2.out" | cut -d: -f2 | tr '\n' ' ')" \
    "10 10 10 10 0 0 " "beside a flood and ping: two runs count 10 of 10 each, no duplicate"
like "$out" "^3000 packets transmitted, 3000 received, 0% packet loss" \
    "the flood beside them: 3000 of 3000, none taken from the others"
like "$(cat "$TMP/m3.out")" "10 packets transmitted, 10 received" "ping beside them: 10 of 10" ||
    diag "ping said: $(cat "$TMP/m3.out")"

# Bad input: usage errors naming the value; unknown host exit 1.
bad() {
	_d=$1 _re=$2; shift 2
	out=$("$SOCKKIT" raw icmp "$@" 2>&1); _rc=$?
	status_like 2 "$_rc" "$out" "$_re" "bad input: $_d"
}
bad "-s 65508" "-s '65508': out of range 0-65507" -s 65508 127.0.0.1
bad "--ttl 0" "--ttl '0': out of range 1-255" --ttl 0 127.0.0.1
bad "--ttl 256" "--ttl '256': out of range 1-255" --ttl 256 127.0.0.1
bad "-c -1" "-c '-1'" -c -1 127.0.0.1
bad "-W 0" "-W '0': below" -W 0 127.0.0.1
out=$("$SOCKKIT" raw icmp no.such.host.invalid 2>&1); rc=$?
status_like 1 "$rc" "$out" "^sockkit: raw: unknown host 'no.such.host.invalid'" \
    "unknown host: exit 1"
done_testing
