#!/bin/bash
# bench/raw.sh: sockkit raw icmp beside iputils ping and traceroute.
#
# 1. Flood echo over loopback: replies per second of
#    "sockkit raw icmp -c COUNT -i 0 127.0.0.1" and "ping -f -c COUNT
#    127.0.0.1", each in a namespace of its own whose kernel counts the
#    echo replies it takes in (IcmpInEchoReps: the receiver's count, not
#    the tool's), over the wall time; that count and the tool's own
#    summary must both say COUNT, with no duplicate.  Both run pinned to CPU 0:
#    the reply is made in the sender's own softirq, on its CPU, so there
#    is no second end to put on the other CPU; "free" lets the scheduler
#    choose.
# 2. Traceroute across three namespaces (client, router, server) where the
#    router never sends time-exceeded (nftables drops it): wall time of
#    "sockkit raw icmp --traceroute" and "traceroute -I -n" (default
#    options but -n: sockkit prints no names), and whether the hops agree.
#
# Rounds take the tools in turn, the one going first changing round by
# round; medians of RUNS rounds (traceroute: TRACE_RUNS, 2 x RUNS) and
# the ratios round by round, median and min-max; needs root.
#	bench/raw.sh [COUNT] [RUNS]
. "$(dirname "$0")/lib.sh"
need ping traceroute taskset ip nft nsenter
[ "$(id -u)" = 0 ] || { echo "bench: raw.sh needs root" >&2; exit 1; }

COUNT=${1:-20000}
RUNS=${2:-5}
TRACE_RUNS=${TRACE_RUNS:-$((RUNS * 2))}
C=skbc$$ R=skbr$$ S=skbs$$ F=skbf$$
trap 'pkill -P $$ 2>/dev/null; for n in $C $R $S $F; do ip netns del $n 2>/dev/null; done; rm -rf "$WORK"' EXIT

# The flood's namespace: its own lo, and its own ICMP counters, which the
# kernel keeps anyway (no rule in the path costs anything per packet).
ip netns add $F && ip -n $F link set lo up ||
	{ echo "bench: cannot make the flood's namespace" >&2; exit 1; }
# replies: the echo replies the namespace has taken in, ever.
replies() {
	ip netns exec $F awk '$1 == "Icmp:" && !h { for (i = 2; i <= NF; i++)
	    if ($i == "InEchoReps") f = i; h = 1; next }
	    $1 == "Icmp:" { print $f }' /proc/net/snmp
}

# flood PIN TOOL: prints "RATE" (replies/s), or fails on a lost reply.
flood() {
	local pin=() t0 t1 out tx rx got
	[ "$1" = same ] && pin=(taskset -c 0)
	case $2 in
	sockkit) set -- "${pin[@]}" "$SOCKKIT" raw icmp -c "$COUNT" -i 0 127.0.0.1 ;;
	ping) set -- "${pin[@]}" ping -f -c "$COUNT" 127.0.0.1 ;;
	esac
	got=$(replies)
	# The tool is timed inside the namespace, without ip netns exec's cost.
	# Output to a file, not a pipe: ping -f writes twice a packet.
	read -r t0 t1 < <(nsenter --net=/run/netns/$F bash -c '
	    t0=$EPOCHREALTIME; "$@" >"$0" 2>&1 || t0=fail
	    echo "$t0 $EPOCHREALTIME"' "$WORK/flood.out" "$@")
	[ "$t0" != fail ] || {
		echo "failed: $*: $(cat "$WORK/flood.out")" >&2; return 1; }
	got=$(( $(replies) - got ))
	out=$(cat "$WORK/flood.out")
	read -r tx rx < <(echo "$out" | sed -n \
	    's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\1 \2/p')
	if [ "$tx" != "$COUNT" ] || [ "$rx" != "$COUNT" ] ||
	    [ "$got" != "$COUNT" ] || echo "$out" | grep -q 'duplicates\|errors'; then
		echo "lost or mismatched: $*: $got replies in;" \
		    "$(echo "$out" | tail -2)" >&2
		return 1
	fi
	awk -v n="$got" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f\n", n / (b - a) }'
}

describe_machine
echo "# 1. flood echo over loopback, $COUNT requests, median of $RUNS, replies/s"
for place in same free; do
	rm -f "$WORK"/flood.sockkit "$WORK"/flood.ping
	for r in $(seq "$RUNS"); do
		order="sockkit ping"
		[ $((r % 2)) = 0 ] && order="ping sockkit"
		for tool in $order; do
			flood $place $tool >>"$WORK/flood.$tool" || exit 1
		done
	done
	sk=$(median <"$WORK/flood.sockkit")
	pg=$(median <"$WORK/flood.ping")
	# The table's "same" column, or "-" with the scheduler choosing.
	if [ $place = same ]; then
		what="flood echo replies/s: sockkit / ping -f" col=same
	else
		what="flood echo replies/s, unpinned: sockkit / ping -f" col=-
	fi
	printf '%-5s sockkit %8s  ping -f %8s  ratio %s\n' "$place" "$sk" "$pg" \
	    "$(per_round "$WORK/flood.sockkit" "$WORK/flood.ping" |
	    record_rounds "$what" $col 1.5)"
done

# The path: C 10.72.1.2 -- 10.72.1.1 R 10.72.2.1 -- 10.72.2.2 S.
path() {
	for n in $C $R $S; do ip netns add $n && ip -n $n link set lo up; done
	ip link add bc$$ netns $C type veth peer name br$$ netns $R
	ip link add bs$$ netns $S type veth peer name bq$$ netns $R
	ip -n $C addr add 10.72.1.2/24 dev bc$$
	ip -n $R addr add 10.72.1.1/24 dev br$$
	ip -n $R addr add 10.72.2.1/24 dev bq$$
	ip -n $S addr add 10.72.2.2/24 dev bs$$
	for l in "$C bc$$" "$R br$$" "$R bq$$" "$S bs$$"; do
		ip -n ${l% *} link set ${l#* } up
	done
	ip -n $C route add default via 10.72.1.1
	ip -n $S route add default via 10.72.2.1
	ip netns exec $R sysctl -qw net.ipv4.ip_forward=1
	ip netns exec $S sysctl -qw net.ipv4.icmp_ratelimit=0
	ip netns exec $R nft -f - <<NFT
table inet silent {
	chain out {
		type filter hook output priority 0; policy accept;
		icmp type time-exceeded drop
	}
}
NFT
}
path || { echo "bench: cannot build the namespaces" >&2; exit 1; }

# trace RUNS: inside the client's namespace (entered once, so that its
# cost is no part of the times), the two tools in turn RUNS times; prints
# "TOOL SECONDS HOPS" a run.
trace() {
	nsenter --net=/run/netns/$C bash -c '
	for r in $(seq "$1"); do
		order="sockkit traceroute"
		[ $((r % 2)) = 0 ] && order="traceroute sockkit"
		for tool in $order; do
			if [ $tool = sockkit ]; then
				set -- "$1" "$2" "$3" "$2" raw icmp \
				    --traceroute 10.72.2.2
			else
				set -- "$1" "$2" "$3" traceroute -I -n 10.72.2.2
			fi
			t0=$EPOCHREALTIME
			"${@:4}" >"$3/trace.out" 2>&1
			t1=$EPOCHREALTIME
			echo "$tool $(awk -v a="$t0" -v b="$t1" \
			    "BEGIN { printf \"%.4f\", b - a }") $(awk \
			    "/^ *[0-9]+ / { printf \"%s:%s;\", \$1, \$2 }" \
			    "$3/trace.out")"
		done
	done' bench "$1" "$SOCKKIT" "$WORK"
}

echo "# 2. traceroute, the router silent, $TRACE_RUNS rounds, seconds (medians);"
echo "#    speed-up: traceroute -I time / sockkit, round by round: median, min-max"
ip netns exec $C ping -c 1 -W 2 10.72.2.2 >/dev/null	# ARP first
trace "$TRACE_RUNS" >"$WORK/trace"
awk '$1 == "sockkit" { print $2 }' "$WORK/trace" >"$WORK/trace.sockkit"
awk '$1 == "traceroute" { print $2 }' "$WORK/trace" >"$WORK/trace.traceroute"
sk=$(median <"$WORK/trace.sockkit")
tr=$(median <"$WORK/trace.traceroute")
hops=$(awk '{ print $1, $3 }' "$WORK/trace" | sort -u)
same=no
[ "$(echo "$hops" | awk '{ print $2 }' | sort -u | wc -l)" = 1 ] && same=yes
# A speed-up only counts with the same hops.
what="traceroute, silent hop: traceroute -I time / sockkit"
if [ $same = yes ]; then
	sp=$(per_round "$WORK/trace.traceroute" "$WORK/trace.sockkit" |
	    record_rounds "$what" - 2)
else
	sp=hops-differ
	record "$what" - "$sp" 2
fi
printf 'sockkit %ss  traceroute -I %ss  speed-up %s  same hops: %s (%s)\n' \
    "$sk" "$tr" "$sp" "$same" "$(echo "$hops" | head -n 1 | cut -d' ' -f2-)"
