# probe-netns.sh: every port classified exactly as nftables rules in a
# network namespace say: listeners (open), TCP resets and unused ports
# (closed), drops (filtered, no-response), ICMP admin-prohibited and
# host-unreachable (filtered, with the ICMP code); IPv4 and IPv6; 5% random
# loss; a /28 of hosts; --exclude; --shard; UDP.
. "$srcdir/lib.sh"
. "$srcdir/probe-env.sh"
need_root
need_cmd ip nft python3
probe_pair || skip_all "cannot create network namespaces"
plan 23

for p in 1000 1010 1033; do
	listen_in "$T" 0.0.0.0 $p; listen_in "$T" :: $p
done
ip netns exec "$T" nft -f - <<NFT || skip_all "nftables reject rules unavailable"
table inet truth {
	chain in {
		type filter hook input priority 0; policy accept;
		tcp dport 1001-1005 reject with tcp reset
		tcp dport 1020-1029 drop
		meta nfproto ipv4 tcp dport 1030-1032 reject with icmp type admin-prohibited
		meta nfproto ipv6 tcp dport 1030-1032 reject with icmpv6 type admin-prohibited
		meta nfproto ipv4 tcp dport 1040-1041 reject with icmp type host-unreachable
		meta nfproto ipv6 tcp dport 1040-1041 reject with icmpv6 type addr-unreachable
		udp dport 5002 drop
		meta nfproto ipv4 udp dport 5003 reject with icmp type admin-prohibited
	}
}
NFT

# expected FAMILY: the ground truth for ports 1000-1045.
expected() {
	for p in $(seq 1000 1045); do
		case $p in
		1000|1010|1033) echo "$p open syn-ack" ;;
		102?) echo "$p filtered no-response" ;;
		103[012]) echo "$p filtered $1 admin-prohibited" ;;
		104[01]) [ "$1" = icmp ] && echo "$p filtered icmp host-unreach" ||
			echo "$p filtered icmp6 addr-unreach" ;;
		*) echo "$p closed rst" ;;
		esac
	done
}

out=$(probe_in "$C" -a --json -p 1000-1045 $T4); rc=$?
is "$(echo "$out" | verdicts)" "$(expected icmp)" "IPv4: every port as the rules say"
is $rc 0 "IPv4: exit 0 with open ports"
out=$(probe_in "$C" -a --json -p 1000-1045 $T6)
is "$(echo "$out" | verdicts)" "$(expected icmp6)" "IPv6: every port as the rules say"
out=$(probe_in "$C" -p 1000-1045 $T4)
like "$out" "^1010/tcp +open +- +syn-ack" "text: open port listed"
like "$out" "^$T4: 46 ports: 3 open, 28 closed, 15 filtered$" \
    "text: summary counts closed and filtered"
is "$(echo "$out" | grep -c '/tcp')" 3 "text: only open ports listed by default"
out=$(probe_in "$C" --open -p 1020-1033 $T4)
is "$(echo "$out" | grep -c "$T4:")" 0 "--open: no summary"
out=$(probe_in "$C" --grepable -p 1000-1045 $T4)
like "$out" "^Host: $T4	Ports: 1000/open/tcp/[^/]*/syn-ack, 1010/open" \
    "grepable: one line with the open ports"
is "$(echo "$out" | wc -l)" 1 "grepable: one line per host"
probe_in "$C" --all-open -p 1000,1010,1033 $T4 >/dev/null
is $? 0 "--all-open: 0 when every port is open"
probe_in "$C" --all-open -p 1000,1001 $T4 >/dev/null
is $? 1 "--all-open: 1 when one is closed"
probe_in "$C" -p 1001-1005,1020-1022 $T4 >/dev/null
is $? 1 "exit 1 when nothing is open"

# 5% random loss on the target's input: no open port may be missed.
ip netns exec "$T" nft -f - <<NFT
table inet loss {
	chain in {
		type filter hook input priority -10; policy accept;
		numgen random mod 100 < 5 drop
	}
}
NFT
out=$(probe_in "$C" --open --json -p 1-2000 $T4 | verdicts)
is "$out" "$(printf '%s\n' '1000 open syn-ack' '1010 open syn-ack' \
    '1033 open syn-ack')" "5% loss: every open port found, no other"
ip netns exec "$T" nft delete table inet loss

# A /28 of hosts behind the target, listeners on two of them.
ip -n "$C" route add 10.99.2.0/28 via $T4
for i in $(seq 0 15); do ip -n "$T" addr add 10.99.2.$i/32 dev lo; done
listen_in "$T" 10.99.2.3 2222
listen_in "$T" 10.99.2.9 2222
out=$(probe_in "$C" --open --grepable -p 2222,2223 10.99.2.0/28 | cut -f1 |
    tr '\n' ' ')
is "$out" "Host: 10.99.2.3 Host: 10.99.2.9 " "/28: exactly the two listening hosts"
out=$(probe_in "$C" -p 2222 10.99.2.0/28 | grep -c ': 1 port:')
is "$out" 16 "/28: a summary for each of the 16 hosts"
out=$(probe_in "$C" --open -p 2222 --exclude 10.99.2.8/29 10.99.2.0/28 |
    grep -c /tcp)
is "$out" 1 "--exclude removes a block"

# Shards: three slices cover 2 hosts x 300 ports exactly once.
for k in 1 2 3; do
	probe_in "$C" -a --json -p 1-300 --seed 7 --shard $k/3 10.99.2.3 \
	    10.99.2.4 >"$TMP/shard.$k"
done
all=$(cat "$TMP"/shard.* | python3 -c '
import json, sys
print(len([l for l in sys.stdin if json.loads(l)["type"] == "port"]))')
uniq=$(cat "$TMP"/shard.* | grep '"type":"port"' |
    sed 's/.*"host":"\([^"]*\)".*"port":\([0-9]*\).*/\1 \2/' | sort -u | wc -l)
is "$all" 600 "--shard: 600 results over three slices"
is "$uniq" 600 "--shard: every host and port exactly once"

# UDP: a reply (open), port unreachable (closed), drop, admin-prohibited.
bg ip netns exec "$T" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 5000))
while True:
    d, a = s.recvfrom(2048)
    s.sendto(b"pong", a)
'
# Wait until it is bound: under load Python takes a while to start.
wait_listening 5000 udp "$T"
out=$(probe_in "$C" -u -a --json -p 5000-5003 $T4 | verdicts)
is "$out" "$(printf '%s\n' '5000 open udp-response' \
    '5001 closed icmp port-unreach' '5002 open|filtered no-response' \
    '5003 filtered icmp admin-prohibited')" "UDP: reply, unreachable, drop, prohibited"

# Hosts that do not exist on the link: ICMP from the client's own stack.
out=$(probe_in "$C" -a --json -w 5 -p 80 10.99.1.77 | verdicts)
like "$out" "^80 filtered icmp host-unreach$" "no neighbour: icmp host-unreach"
out=$(probe_in "$C" -a --json -p 80 10.200.0.1 | verdicts)
like "$out" "^80 filtered net-unreach$" "no route: net-unreach"

# A zoned link-local target (fe80::...%IFACE): the zone picks the link.
ip -n "$C" addr add fe80::99:1/64 dev "vc$$" nodad
ip -n "$T" addr add fe80::99:2/64 dev "vt$$" nodad
out=$(probe_in "$C" -a -p 1000-1002 "fe80::99:2%vc$$"); rc=$?
like "$out" "^1000/tcp +open " "zoned link-local target: the listener is open"
like "$out" "^fe80::99:2%vc$$: 3 ports: 1 open, 2 closed$" \
    "zoned link-local target: the zone named in the summary"
done_testing
