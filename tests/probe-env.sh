# tests/probe-env.sh: network namespaces with known ground truth for the
# probe tests.  Source after lib.sh.
#
# probe_pair: namespaces $C (client) and $T (target) joined by a veth pair,
# 10.99.1.1 <-> 10.99.1.2 and fd99::1 <-> fd99::2.  Names carry $$ so that
# parallel runs do not meet; lib.sh deletes them at exit.

C=skpc$$
T=skpt$$
T4=10.99.1.2
T6=fd99::2

probe_pair() {
	make_netns "$C" && make_netns "$T" || return 1
	ip link add "vc$$" netns "$C" type veth peer name "vt$$" netns "$T" ||
		return 1
	ip -n "$C" addr add 10.99.1.1/24 dev "vc$$"
	ip -n "$T" addr add 10.99.1.2/24 dev "vt$$"
	ip -n "$C" addr add fd99::1/64 dev "vc$$" nodad
	ip -n "$T" addr add fd99::2/64 dev "vt$$" nodad
	ip -n "$C" link set "vc$$" up
	ip -n "$T" link set "vt$$" up
	# ICMP errors unthrottled, so that every reject is seen.
	ip netns exec "$T" sysctl -qw net.ipv4.icmp_ratelimit=0 \
	    net.ipv4.icmp_msgs_per_sec=100000 net.ipv6.icmp.ratelimit=0
}

# rules_ns NS: a namespace NS with loopback up (deleted at exit) and the
# nftables ruleset on stdin; skips the whole test when it cannot be made.
rules_ns() {
	can_netns || skip_all "$netns_why"
	make_netns "$1" || skip_all "cannot make a network namespace"
	ip netns exec "$1" nft -f - ||
	    skip_all "nftables does not work in a namespace"
}

# listen_in NS ADDR PORT: a sockkit listener (discard, -k); waits until ready.
listen_in() {
	_f="$TMP/listen.$1.$2.$3"
	bg ip netns exec "$1" "$SOCKKIT" listen -k --mode discard "$2" "$3" \
	    </dev/null >/dev/null 2>"$_f"
	wait_for_line "$_f" '^Listening on ' 5
}

# probe_in NS ARGS...: sockkit probe inside NS.
probe_in() {
	_ns=$1; shift
	ip netns exec "$_ns" "$SOCKKIT" probe "$@"
}

# verdicts: --json on stdin -> "PORT STATE REASON" lines, by port.
verdicts() {
	python3 -c '
import json, sys
rows = []
for line in sys.stdin:
    o = json.loads(line)
    if o["type"] == "port":
        rows.append((o["host"], o["port"], o["state"], o["reason"]))
for h, p, s, r in sorted(rows):
    print(p, s, r)
'
}
