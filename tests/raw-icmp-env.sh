# tests/raw-icmp-env.sh: network namespaces for the raw icmp and
# traceroute tests.  Source after lib.sh.
#
# icmp_path: three namespaces on a line, client $RC, router $RR (forwarding)
# and server $RS, on two links:
#	$RC 10.71.1.2 fd71:1::2 -- 10.71.1.1 fd71:1::1 $RR
#	$RR 10.71.2.1 fd71:2::1 -- 10.71.2.2 fd71:2::2 $RS
# Names carry $$ so that parallel runs do not meet; lib.sh deletes them.

RC=skic$$
RR=skir$$
RS=skis$$
RR4=10.71.1.1
RS4=10.71.2.2
RR6=fd71:1::1
RS6=fd71:2::2

# icmp_link NS1 ADDR1 ADDR6-1 NS2 ADDR2 ADDR6-2 NAME: a veth pair, up.
icmp_link() {
	ip link add "$7a$$" netns "$1" type veth peer name "$7b$$" netns "$4" ||
		return 1
	ip -n "$1" addr add "$2/24" dev "$7a$$"
	ip -n "$4" addr add "$5/24" dev "$7b$$"
	ip -n "$1" addr add "$3/64" dev "$7a$$" nodad
	ip -n "$4" addr add "$6/64" dev "$7b$$" nodad
	ip -n "$1" link set "$7a$$" up
	ip -n "$4" link set "$7b$$" up
}

icmp_path() {
	make_netns "$RC" && make_netns "$RR" && make_netns "$RS" || return 1
	icmp_link "$RC" 10.71.1.2 fd71:1::2 "$RR" 10.71.1.1 fd71:1::1 vi1 &&
	icmp_link "$RR" 10.71.2.1 fd71:2::1 "$RS" 10.71.2.2 fd71:2::2 vi2 ||
		return 1
	ip -n "$RC" route add default via 10.71.1.1
	ip -n "$RS" route add default via 10.71.2.1
	ip -n "$RC" -6 route add default via fd71:1::1
	ip -n "$RS" -6 route add default via fd71:2::1
	ip netns exec "$RR" sysctl -qw net.ipv4.ip_forward=1 \
	    net.ipv6.conf.all.forwarding=1
	# ICMP errors unthrottled, so that every probe is answered.
	for ns in "$RR" "$RS"; do
		ip netns exec "$ns" sysctl -qw net.ipv4.icmp_ratelimit=0 \
		    net.ipv4.icmp_msgs_per_sec=100000 net.ipv6.icmp.ratelimit=0
	done
}

# in_ns NS CMD...: run CMD in NS.
in_ns() { _ns=$1; shift; ip netns exec "$_ns" "$@"; }
