#!/bin/bash
# tests/probe-evidence-netns.sh: probe --trace draws the ICMP error behind
# every port the table settles by ICMP.  In a namespace whose nftables
# rules reject each port with another ICMP or ICMPv6 type (every type nft
# can send for TCP), each port's conversation in the ladder holds the
# ICMP message, named as the table's REASON names it; a TCP port closed by
# ICMP port unreachable is drawn too, a UDP one (plainly closed) is not;
# a burst of 300 rejected ports loses none of its errors; and an ICMP
# error from our own stack (no neighbour), not the target, is drawn under
# its port.
. "${srcdir:-tests}/lib.sh"
. "$srcdir/probe-env.sh"
need_root
need_cmd ip nft

ns=skpe$$
rules_ns $ns <<'NFT'
table inet t {
	chain in {
		type filter hook input priority 0;
		meta nfproto ipv4 tcp dport 7010 reject with icmp type net-unreachable
		meta nfproto ipv4 tcp dport 7011 reject with icmp type host-unreachable
		meta nfproto ipv4 tcp dport 7012 reject with icmp type prot-unreachable
		meta nfproto ipv4 tcp dport 7013 reject with icmp type port-unreachable
		meta nfproto ipv4 tcp dport 7014 reject with icmp type net-prohibited
		meta nfproto ipv4 tcp dport 7015 reject with icmp type host-prohibited
		meta nfproto ipv4 tcp dport 7016 reject with icmp type admin-prohibited
		meta nfproto ipv6 tcp dport 7010 reject with icmpv6 type no-route
		meta nfproto ipv6 tcp dport 7011 reject with icmpv6 type admin-prohibited
		meta nfproto ipv6 tcp dport 7012 reject with icmpv6 type addr-unreachable
		meta nfproto ipv6 tcp dport 7013 reject with icmpv6 type port-unreachable
		meta nfproto ipv6 tcp dport 7014 reject with icmpv6 type policy-fail
		meta nfproto ipv6 tcp dport 7015 reject with icmpv6 type reject-route
		meta nfproto ipv4 udp dport 7020 reject with icmp type admin-prohibited
		meta nfproto ipv4 tcp dport 7100-7399 reject with icmp type admin-prohibited
	}
}
NFT
# Every error is sent: no rate limit in the namespace.
ip netns exec $ns sysctl -qw net.ipv4.icmp_ratelimit=0 \
    net.ipv6.icmp.ratelimit=0
cd "$TMP" || exit 1

# reason_of PORT FILE: the REASON column of PORT in the table.
reason_of() {
	awk -v p="$1/" 'index($0, p) == 1 { print $4, $5; exit }' "$2"
}

# icmp_of PORT FILE: the ICMP message drawn in the conversation of PORT
# (its header ends with B's address, or goes on after a comma).
icmp_of() {
	awk -v p=":$1(,|$)" '
	/^conversation [0-9]+:/ { on = $0 ~ p; next }
	/^$/ { on = 0 }
	on && /◀── ICMP/ { sub(/.*◀── /, ""); sub(/ ─.*/, ""); print; exit }' "$2"
}

# words REASON: how the ladder names the ICMP message the table calls
# REASON ("icmp admin-prohibited": "ICMP administratively prohibited").
words() {
	echo "$1" | sed -e 's/^icmp6 /ICMPv6 /' -e 's/^icmp /ICMP /' \
	    -e 's/admin-/administratively-/' -e 's/proto-/protocol-/' \
	    -e 's/addr-/address-/' -e 's/-unreach$/-unreachable/' -e 's/-/ /g'
}

# check ADDR PORT... : every port's reason is its ICMP, and the ladder
# draws that ICMP under the port.
check() {
	_a=$1; shift
	probe_in $ns --trace -a -w 1 --retries 0 -p 7010-7016 "$_a" \
	    >"tr.$_a" 2>&1
	for _p; do
		_r=$(reason_of "${_p%%=*}" "tr.$_a")
		is "$_r" "${_p#*=}" "$_a ${_p%%=*}: the table says ${_p#*=}"
		is "$(icmp_of "${_p%%=*}" "tr.$_a")" "$(words "$_r")" \
		    "$_a ${_p%%=*}: the ladder draws $(words "$_r")"
	done
}

plan 34
check 127.0.0.1 "7010=icmp net-unreach" "7011=icmp host-unreach" \
    "7012=icmp proto-unreach" "7013=icmp port-unreach" \
    "7014=icmp net-prohibited" "7015=icmp host-prohibited" \
    "7016=icmp admin-prohibited"
check ::1 "7010=icmp6 no-route" "7011=icmp6 admin-prohibited" \
    "7012=icmp6 addr-unreach" "7013=icmp6 port-unreach" \
    "7014=icmp6 failed-policy" "7015=icmp6 reject-route"
like "$(cat tr.::1)" "evidence: the packets of the 6 ports not plainly closed" \
    "IPv6: the six ICMP ports drawn, not the reset one"

# UDP: admin-prohibited is drawn; port unreachable is UDP's plain closed.
probe_in $ns -u --trace -a -w 1 --retries 0 -p 7020,7021 127.0.0.1 \
    >udp.out 2>&1
is "$(icmp_of 7020 udp.out)" "ICMP administratively prohibited" \
    "UDP 7020: the ladder draws the ICMP"
like "$(cat udp.out)" "evidence: the packets of the 1 port not plainly closed" \
    "UDP 7021 (port unreachable) is plainly closed: not drawn"

# Many at once: a burst of 300 rejected ports, every error in the capture
# and drawn; 70 scattered ones (70 runs) drawn from all of their host's
# packets, as the evidence line says.
probe_in $ns --trace -w 1 --retries 0 -p 7100-7399 127.0.0.1 >many.out \
    2>many.err
is "$(grep -c '◀── ICMP administratively prohibited' many.out)/$(grep -c dropped many.err)" \
    300/0 "300 rejected ports: 300 ICMP errors drawn, none dropped"
probe_in $ns --trace -w 1 --retries 0 -p "$(seq -s, 7100 2 7238)" \
    127.0.0.1 >sc.out 2>&1
like "$(cat sc.out)" "evidence: the packets of the 70 ports not plainly closed \(too scattered to pick out: every packet of their hosts\)" \
    "70 scattered ports: every packet of the host, said"
is "$(grep -c '◀── ICMP administratively prohibited' sc.out)" 70 \
    "70 scattered ports: their 70 ICMP errors drawn"

# An error from our own stack (no neighbour answers ARP), not from the
# target: it quotes the probe, and is drawn under its port.
if probe_pair; then
	probe_in "$C" --trace -a -w 5 --retries 0 -p 80 10.99.1.77 \
	    >nn.out 2>&1
	is "$(reason_of 80 nn.out)" "icmp host-unreach" \
	    "no neighbour: host-unreach"
	is "$(icmp_of 80 nn.out)" "ICMP host unreachable" \
	    "no neighbour: our own stack's ICMP drawn under the port"
else
	skip_n 2 "cannot create a veth pair between network namespaces"
fi
done_testing
