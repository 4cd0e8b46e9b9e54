#!/bin/bash
# tests/probe-trace.sh: probe --trace shows the packets behind each port
# that was not plainly closed: the SYN,ACK of an open port, the unanswered
# SYNs of a dropped one, and nothing of a closed one.  probe --write saves
# the probes' packets as a pcap file, with --trace or without.
. "${srcdir:-tests}/lib.sh"
need_root
need_cmd ip nft setpriv

ns=skpt$$
can_netns || skip_all "$netns_why"
make_netns $ns || skip_all "cannot make a network namespace"
ip netns exec $ns nft -f - <<'NFT' || skip_all "nftables does not work in a namespace"
table inet t {
	chain in {
		type filter hook input priority 0;
		tcp dport 7002 tcp flags syn drop
	}
}
NFT
# An open port (7001), a dropped one (7002), a closed one (7003).
ip netns exec $ns "$SOCKKIT" listen -k 127.0.0.1 7001 >/dev/null 2>&1 &
_pids="$_pids $!"
wait_listening 7001 tcp $ns
plan 23
out=$(ip netns exec $ns "$SOCKKIT" probe --trace -w 2 --retries 1 \
    -a -p 7001-7003 127.0.0.1 </dev/null 2>&1)
rc=$?
is "$rc" 0 "exit 0: a port is open"
like "$out" '7002/tcp +filtered' "the table still comes first"
like "$out" 'evidence: the packets of the 2 ports not plainly closed' \
    "evidence for the open and the filtered port"
like "$out" 'B 127\.0\.0\.1:7001' "the open port's conversation is drawn"
like "$out" 'SYN,ACK seq=0 ack=1' "its SYN,ACK is there"
like "$out" 'B 127\.0\.0\.1:7002' "the filtered port's conversation is drawn"
like "$out" 'SYN retransmission|no answer' "its unanswered SYNs are there"
printf '%s\n' "$out" | grep -q 'B 127\.0\.0\.1:7003'
ok $((! $?)) "the closed port is not drawn"

# --write: the same packets in a pcap file, read back by tcpdump.
# syns FILE PORT FLAGS: how many packets of FILE to or from PORT have
# exactly FLAGS ("S", "S.", "R.") in tcpdump's words.
syns() {
	tcpdump -nn -r "$1" "tcp port $2" 2>/dev/null |
	    grep -c "Flags \[$3\]"
}
out=$(ip netns exec $ns "$SOCKKIT" probe --trace --write "$TMP/t.pcap" \
    -w 2 --retries 1 -a -p 7001-7003 127.0.0.1 </dev/null 2>&1)
rc=$?
is "$rc" 0 "--trace --write: exit 0"
like "$out" 'SYN,ACK seq=0 ack=1' "--trace --write: the evidence still drawn"
# The render sink: "--svg -" is stdout, after the table, and the ladder
# then stays off it; a picture that cannot be made is said as elsewhere.
out=$(ip netns exec $ns "$SOCKKIT" probe --trace --svg - -w 2 \
    -p 7001 127.0.0.1 </dev/null 2>/dev/null)
rc=$?
ok $([ "$rc" = 0 ] && printf '%s\n' "$out" | grep -q '^7001/tcp' &&
    printf '%s\n' "$out" | grep -q '</svg>'; echo $?) \
    "--trace --svg -: the table, then the picture on stdout"
printf '%s\n' "$out" | grep -q '^conversation 1:'
ok $((! $?)) "--trace --svg -: no ladder mixed into the picture"
out=$(ip netns exec $ns "$SOCKKIT" probe --svg /nonexistent/dir/x.svg \
    -w 2 -p 7001 127.0.0.1 </dev/null 2>&1)
is "$?/$out" "1/sockkit: probe: --svg /nonexistent/dir/x.svg: No such file or directory" \
    "--svg in a missing directory: exit 1, one line, no table"

# Without CAP_NET_RAW the capture cannot start: exit 1 before any probe,
# and no --write file left behind (connect makes its file only once its
# capture has started).
chmod 711 "$TMP" && mkdir -m 777 "$TMP/nobody"
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
    --bounding-set=-all "$SOCKKIT" probe --write "$TMP/nobody/x.pcap" \
    -p 7001 127.0.0.1 2>&1)
rc=$?
like "$rc/$out" '^1/sockkit: probe: capture: permission denied' \
    "--write without CAP_NET_RAW: exit 1, the reason in one line"
ok $([ ! -e "$TMP/nobody/x.pcap" ]; echo $?) \
    "--write without CAP_NET_RAW: no file left behind"

if ! command -v tcpdump >/dev/null; then
	skip_n 8 "needs tcpdump"
	done_testing
	exit
fi
tcpdump -r "$TMP/t.pcap" >/dev/null 2>&1
ok $? "--trace --write: a pcap file tcpdump reads"
ok $([ "$(syns "$TMP/t.pcap" 7001 S)" -ge 1 ] &&
    [ "$(syns "$TMP/t.pcap" 7001 S.)" -ge 1 ]; echo $?) \
    "--write: the open port's SYN and SYN,ACK"
ok $([ "$(syns "$TMP/t.pcap" 7002 S)" -ge 2 ] &&
    [ "$(syns "$TMP/t.pcap" 7002 S.)" = 0 ]; echo $?) \
    "--write: the dropped port's SYNs, unanswered"
ok $([ "$(syns "$TMP/t.pcap" 7003 S)" -ge 1 ] &&
    [ "$(syns "$TMP/t.pcap" 7003 R.)" -ge 1 ]; echo $?) \
    "--write: the closed port's SYN and RST"

out=$(ip netns exec $ns "$SOCKKIT" probe --write "$TMP/w.pcap" -w 2 \
    -p 7001 127.0.0.1 </dev/null 2>&1)
rc=$?
is "$rc/$(printf '%s\n' "$out" | grep -c 'conversation')" "0/0" \
    "--write without --trace: exit 0, no ladder"
ok $([ "$(syns "$TMP/w.pcap" 7001 S)" -ge 1 ] &&
    [ "$(syns "$TMP/w.pcap" 7001 S.)" -ge 1 ]; echo $?) \
    "--write without --trace: the SYN and SYN,ACK in the file"

out=$(ip netns exec $ns "$SOCKKIT" probe --write /nonexistent/dir/x.pcap \
    -w 2 -p 7001 127.0.0.1 </dev/null 2>&1)
rc=$?
is "$rc" 1 "--write in a missing directory: exit 1"
is "$out" "sockkit: probe: --write /nonexistent/dir/x.pcap: No such file or directory" \
    "--write in a missing directory: one line, before any probe (no table)"
done_testing
