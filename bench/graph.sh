#!/bin/bash
# bench/graph.sh: "sockkit view --graph" against "tcpdump -nn -r" on a
# capture of 10^6 packets: packets per second of each, their ratio
# (target: sockkit at least 2x tcpdump's), and peak memory of view with
# and without the graph (--summary alone), best of ROUNDS by elapsed
# time, both pinned to CPU 0.
#
#   bench/graph.sh [PACKETS]    (default 1000000)
#
# The capture is one TCP conversation (tests/graph-gen.py: 100-byte
# segments each ACKed, one in 1000 retransmitted), the worst case for the
# graph, which keeps every point of it; CAPTURE=file measures an
# existing capture instead (bench/view.sh KEEP=file makes 1.04M packets
# of short connections).  SOCKKIT=path picks the binary: build it without
# --enable-debug.  No root needed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
SOCKKIT=${SOCKKIT:-$here/../sockkit}
case $SOCKKIT in /*) ;; */*) SOCKKIT=$(pwd)/$SOCKKIT ;; esac
. "$here/lib.sh"
need tcpdump python3 taskset /usr/bin/time
n=${1:-1000000}
ROUNDS=${ROUNDS:-3}
tmp=$(mktemp -d /tmp/sockkit-graph.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

if [ -n "${CAPTURE:-}" ]; then
	cp "$CAPTURE" "$tmp/cap.pcap"
else
	python3 "$here/../tests/graph-gen.py" "$n" >"$tmp/cap.pcap"
fi
pkts=$(tcpdump -r "$tmp/cap.pcap" 2>/dev/null | wc -l)
describe_machine
echo "# capture: $pkts packets, $(du -m "$tmp/cap.pcap" | cut -f1) MB"

# run NAME CMD...: best of ROUNDS by elapsed seconds, with its peak KiB.
declare -A secs kib
run() {
	local name=$1 best= s u y m mem=
	shift
	for _ in $(seq "$ROUNDS"); do
		/usr/bin/time -f "%e %U %S %M" -o "$tmp/t" taskset -c 0 "$@" \
		    >/dev/null 2>&1 || true
		read -r s u y m <"$tmp/t"
		if [ -z "$best" ] || awk "BEGIN { exit !($s < $best) }"; then
			best=$s; mem=$m
		fi
	done
	secs[$name]=$best; kib[$name]=$mem
}
cd "$tmp"
run tcpdump tcpdump -nn -r cap.pcap
run summary "$SOCKKIT" view --summary cap.pcap
run graph "$SOCKKIT" view --summary --graph g.svg cap.pcap
pps() {
	awk -v p="$pkts" -v s="$1" 'BEGIN { printf "%.0f", (s > 0 ? p / s : 0) }'
}
printf '%-26s %10s %12s %10s\n' what seconds packets/s "peak KiB"
for k in tcpdump summary graph; do
	case $k in
	tcpdump) what="tcpdump -nn -r" ;;
	summary) what="view --summary" ;;
	graph) what="view --summary --graph" ;;
	esac
	printf '%-26s %10s %12s %10s\n' "$what" "${secs[$k]}" \
	    "$(pps "${secs[$k]}")" "${kib[$k]}"
done
r=$(ratio "${secs[tcpdump]}" "${secs[graph]}")
echo "view --graph / tcpdump packets per second: ${r}x (target >= 2x)"
echo "the graph adds $(( ${kib[graph]} - ${kib[summary]} )) KiB to" \
    "view's peak ($(stat -c %s g.svg) bytes of SVG)"
record "view --graph pkt/s / tcpdump -r" same "$r" 2
