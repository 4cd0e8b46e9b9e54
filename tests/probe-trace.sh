#!/bin/bash
# tests/probe-trace.sh: probe --trace shows the packets behind each port
# that was not plainly closed: the SYN,ACK of an open port, the unanswered
# SYNs of a dropped one, and nothing of a closed one.
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
plan 8
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
done_testing
