#!/bin/bash
# bench/view.sh: "sockkit view --summary" and "--json" against "tcpdump -nn
# -r" (and tshark, for reference) on one capture of >= 1,000,000 packets of
# short loopback connections that this script makes in a namespace of its
# own.  Prints packets/s, the ratios to tcpdump, and peak memory.
#
#   sudo bench/view.sh [CONNECTIONS]     (default 130000, about 1.04M packets)
#
# SOCKKIT=path picks the binary (build it without --enable-debug: the
# sanitizers cost a factor of several).  KEEP=file keeps the capture;
# CAPTURE=file measures an existing one instead of making it; LIVE=0
# skips the live 1 GiB transfer.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
SOCKKIT=${SOCKKIT:-$here/../sockkit}
# SOCKKIT and BENCH_RECORD given relative to where this started must hold
# after a cd: made absolute (a bare command name stays a PATH lookup).
case $SOCKKIT in /*) ;; */*) SOCKKIT=$(pwd)/$SOCKKIT ;; esac
case ${BENCH_RECORD:-/} in /*) ;; *) BENCH_RECORD=$(pwd)/$BENCH_RECORD ;; esac
. "$here/lib.sh"	# its exit trap is replaced by cleanup below
conns=${1:-130000}
[ "$conns" -le 500000 ] || { echo "at most 500000 connections" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "bench/view.sh: needs root (a namespace)" >&2; exit 1; }
for c in tcpdump python3 /usr/bin/time; do
	command -v $c >/dev/null || { echo "bench/view.sh: needs $c" >&2; exit 1; }
done
tmp=$(mktemp -d /tmp/sockkit-bench.XXXXXX)
ns=skbench$$
cleanup() {
	[ -n "${tp:-}" ] && kill "$tp" 2>/dev/null
	[ -n "${sp:-}" ] && kill "$sp" 2>/dev/null
	[ -n "${lp:-}" ] && kill "$lp" 2>/dev/null
	ip netns del $ns 2>/dev/null || true
	rm -rf "$tmp" "$WORK"
}
trap cleanup EXIT

# The capture: CONNECTIONS short connections (connect, 100 bytes, close)
# to a discard server, from four source addresses so ports do not run out.
make_capture() {
	ip netns add $ns
	ip -n $ns link set lo up
	ip netns exec $ns sysctl -q net.ipv4.tcp_tw_reuse=1 \
	    net.ipv4.ip_local_port_range="1024 65000"
	ip netns exec $ns "$SOCKKIT" listen -k --max-conns 1000 --mode discard \
	    127.0.0.1 5999 2>/dev/null &
	sp=$!
	ip netns exec $ns tcpdump --immediate-mode -i lo -s 128 -w "$tmp/cap.pcap" \
	    tcp port 5999 2>/dev/null &
	tp=$!
	sleep 2
	echo "making the capture: $conns connections ..." >&2
	ip netns exec $ns timeout 600 python3 - "$conns" <<'PY'
import socket, sys
n = int(sys.argv[1])
data = b"x" * 100
for i in range(n):
    s = socket.socket()
    s.bind(("127.0.0.%d" % (2 + i % 4), 0))
    s.connect(("127.0.0.1", 5999))
    s.sendall(data)
    s.close()
PY
	sleep 2
	kill -INT $tp; wait $tp || true; tp=
	kill $sp; wait $sp 2>/dev/null || true; sp=
}
if [ -n "${CAPTURE:-}" ]; then
	cp "$CAPTURE" "$tmp/cap.pcap"
	ip netns add $ns
	ip -n $ns link set lo up
else
	make_capture
fi
pkts=$(tcpdump -r "$tmp/cap.pcap" 2>/dev/null | wc -l)
size=$(du -m "$tmp/cap.pcap" | cut -f1)
echo "capture: $pkts packets, $size MB"
echo "load average before measuring: $(cut -d' ' -f1-3 /proc/loadavg)"
[ -n "${KEEP:-}" ] && cp "$tmp/cap.pcap" "$KEEP"

# run NAME CMD...: one round of NAME: its seconds appended to
# $tmp/secs.NAME (line N is round N, for per_round); the best round's
# seconds, CPU seconds (user + system: less disturbed by a busy machine)
# and peak KiB kept.
declare -A secs cpus kib
run() {
	name=$1; shift
	/usr/bin/time -f "%e %U %S %M" -o "$tmp/t" "$@" >/dev/null 2>&1 ||
	    true
	read -r s u y m <"$tmp/t"
	echo "$s" >>"$tmp/secs.$name"
	if [ -z "${secs[$name]:-}" ] ||
	    awk "BEGIN{exit !($s < ${secs[$name]})}"; then
		secs[$name]=$s; cpus[$name]=$(awk "BEGIN{print $u + $y}")
		kib[$name]=$m
	fi
}
cd "$tmp"
# Three rounds, the tools in turn.
for _ in 1 2 3; do
	run tcpdump tcpdump -nn -r cap.pcap
	run summary "$SOCKKIT" view --summary cap.pcap
	run json "$SOCKKIT" view --json cap.pcap
	if command -v tshark >/dev/null; then
		run tshark tshark -n -r cap.pcap
	fi
done
printf '%-28s %8s %11s %7s %8s %11s %7s %9s\n' command seconds packets/s ratio \
    cpu-s pkts/cpu-s ratio peak-MiB
for name in tcpdump summary json tshark; do
	[ -n "${secs[$name]:-}" ] || continue
	case $name in
	tcpdump) cmd="tcpdump -nn -r" ;; tshark) cmd="tshark -n -r" ;;
	*) cmd="sockkit view --$name" ;;
	esac
	awk -v c="$cmd" -v s="${secs[$name]}" -v t="${secs[tcpdump]}" \
	    -v u="${cpus[$name]}" -v tu="${cpus[tcpdump]}" \
	    -v p="$pkts" -v m="${kib[$name]}" 'BEGIN {
		if (s <= 0) s = 0.001; if (u <= 0) u = 0.001;
		printf "%-28s %8.2f %11.0f %6.2fx %8.2f %11.0f %6.2fx %9.1f\n",
		    c, s, p / s, t / s, u, p / u, tu / u, m / 1024 }'
done
# The ratios for bench/run-all.sh, round by round: median, min-max.
rec() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
per_round "$tmp/secs.tcpdump" "$tmp/secs.summary" |
    record_rounds "view --summary: packets/s / tcpdump -nn -r" - 2 >/dev/null
per_round "$tmp/secs.tcpdump" "$tmp/secs.json" |
    record_rounds "view --json: packets/s / tcpdump -nn -r" - 1 >/dev/null
[ -s "$tmp/secs.tshark" ] && per_round "$tmp/secs.tshark" "$tmp/secs.summary" |
    record_rounds "view --summary: packets/s / tshark" - "" >/dev/null
if [ -n "${BENCH_RECORD:-}" ]; then
	printf 'peak memory (MiB): view --summary / tcpdump|-|%s|\n' \
	    "$(rec "${kib[summary]}" "${kib[tcpdump]}")" >>"$BENCH_RECORD"
fi
# Live: 1 GiB over loopback to "listen --mode discard", "connect" without
# and with --trace (the ladder folds the data phase; stderr to a file).
# LIVE_ROUNDS rounds (default 5); in each the two take turns going first,
# in both placements (same: both ends on CPU 0; split: the server on CPU
# 1).  The data is a cached file of zeros, not a pipe from a third
# process; a run counts only when the listener took every byte and, with
# --trace, the ladder has its verdict.  Printed: MiB/s medians and the
# traced rate over the plain one, round by round: median, min-max.
# (This row once read 1.49: one run of each, plain first, unpinned, with
# "head -c | connect" making three processes share two CPUs; back to back,
# single runs of the same command differ by a third on a busy machine.)
if [ "${LIVE:-1}" = 1 ]; then
	LIVE_ROUNDS=${LIVE_ROUNDS:-5}
	truncate -s 1G "$tmp/zeros"
	cat "$tmp/zeros" >/dev/null
	# live PLACEMENT [--trace]: one transfer's MiB/s, timed in the
	# namespace (ip netns exec's start is no part of it), or "fail".
	live() {
		local cpu=$(cpu_server "$1") t
		shift
		ip netns exec $ns taskset -c "$cpu" "$SOCKKIT" listen -v \
		    --mode discard 127.0.0.1 5998 2>"$tmp/listen.err" &
		lp=$!
		wait_listening_ns 5998 || { echo fail; return; }
		t=$(ip netns exec $ns taskset -c 0 bash -c 't0=$EPOCHREALTIME
		    "$@" || exit 1; echo "$t0 $EPOCHREALTIME"' live "$SOCKKIT" \
		    connect "$@" 127.0.0.1 5998 <"$tmp/zeros" 2>"$tmp/trace.txt") ||
		    t=
		wait $lp 2>/dev/null || true
		lp=
		if [ -z "$t" ] || ! grep -q 'discarded 1,073,741,824 bytes' \
		    "$tmp/listen.err" || { [ $# = 1 ] &&
		    ! grep -q verdict "$tmp/trace.txt"; }; then
			echo "live run failed ($*): $(tail -1 "$tmp/listen.err")" >&2
			echo fail; return
		fi
		echo "$t" | awk '{ printf "%.1f\n", 1024 / ($2 - $1) }'
	}
	wait_listening_ns() {
		for _i in $(seq 100); do
			ip netns exec $ns ss -Hltn "sport = :$1" | grep -q . &&
			    return 0
			sleep 0.05
		done
		return 1
	}
	ip netns del $ns 2>/dev/null || true
	ip netns add $ns
	ip -n $ns link set lo up
	echo "# live 1 GiB, $LIVE_ROUNDS rounds, MiB/s medians; --trace / without: median, min-max"
	for place in $PLACEMENTS; do
		: >"$tmp/live.plain"; : >"$tmp/live.traced"
		for r in $(seq "$LIVE_ROUNDS"); do
			if [ $((r % 2)) = 1 ]; then
				live $place >>"$tmp/live.plain"
				live $place --trace >>"$tmp/live.traced"
			else
				live $place --trace >>"$tmp/live.traced"
				live $place >>"$tmp/live.plain"
			fi
		done
		printf 'live 1 GiB %-5s without %7s MiB/s  --trace %7s MiB/s  ratio %s\n' \
		    "$place" "$(median <"$tmp/live.plain")" \
		    "$(median <"$tmp/live.traced")" \
		    "$(per_round "$tmp/live.traced" "$tmp/live.plain" |
		    record_rounds "live 1 GiB: connect --trace / without, MiB/s" \
		    "$place" 0.8)"
	done
fi
