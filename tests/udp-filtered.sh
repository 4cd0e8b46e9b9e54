# tests/udp-filtered.sh: silence is open|filtered, never success.  Inside
# a network namespace made for this test, nftables drops (or rejects) UDP
# to chosen ports on its loopback; nothing leaves the namespace.
. "${srcdir:=$(cd "$(dirname "$0")" && pwd)}/udp-lib.sh"
need_root
need_cmd ip nft

ns="skudp$$"
make_netns "$ns" || skip_all "cannot make a network namespace"
ip netns exec "$ns" nft -f - <<EOF || skip_all "nftables does not work in a namespace"
table inet sockkit_test {
	chain input {
		type filter hook input priority 0; policy accept;
		udp dport 9901 drop
		udp dport 9902 reject with icmpx type admin-prohibited
	}
}
EOF

plan 8

inns() { ip netns exec "$ns" "$@"; }

out=$(inns "$SOCKKIT" udp -z -w 1 127.0.0.1 9901)
is "$?" 1 "-z on a dropped port: exit 1, not success"
is "$out" "udp 127.0.0.1 port 9901: open|filtered: no reply in 1 s" \
    "-z on a dropped port: open|filtered"
out=$(inns "$SOCKKIT" udp -z -w 1 ::1 9901)
is "$out" "udp ::1 port 9901: open|filtered: no reply in 1 s" \
    "-z on a dropped port over IPv6: open|filtered"

# The same port without the rule answers with port unreachable.
out=$(inns "$SOCKKIT" udp -z -w 1 127.0.0.1 9903)
is "$out" "udp 127.0.0.1 port 9903: closed: port unreachable (ICMP type 3 code 3 from 127.0.0.1)" \
    "-z on a port nothing drops: closed"

# A reject other than port unreachable: filtered, with its ICMP code.
out=$(inns "$SOCKKIT" udp -z -w 1 127.0.0.1 9902)
is "$?" 1 "-z on an administratively rejected port: exit 1"
is "$out" "udp 127.0.0.1 port 9902: filtered: communication administratively prohibited (ICMP type 3 code 13 from 127.0.0.1)" \
    "-z on an administratively rejected port: filtered, named"

# The client sending into silence is not an error: it waits -w and ends.
printf 'x\n' | inns "$SOCKKIT" udp -w 0.5 127.0.0.1 9901
is "$?" 0 "a client whose datagrams are dropped ends after -w, exit 0"
err=$(printf 'x\n' | inns "$SOCKKIT" udp -w 1 127.0.0.1 9902 2>&1)
is "$err" "sockkit: udp 127.0.0.1 port 9902: communication administratively prohibited (ICMP type 3 code 13 from 127.0.0.1)" \
    "a connected client reports the reject"

done_testing
