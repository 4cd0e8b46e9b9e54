#!/bin/bash
# bench/udp.sh: datagrams per second through a UDP echo on loopback,
# "sockkit udp -l --mode echo" beside its peers and beside the limit, a
# minimal recvfrom/sendto loop (udp-echo-min.c).
#
# The load generator (udp-load.c) keeps WINDOW datagrams of 64 and of 1400
# bytes in flight for SECS seconds a run, RUNS runs a figure (medians),
# pinned with taskset in both placements: both ends on CPU 0 ("same") and
# one end on each CPU ("split").  It counts echoes, replies of exactly
# the size sent; the echoes of ncat and socat go through a pipe to cat,
# which merges datagrams, so their "equivalents" (bytes back / size) are
# shown too.  ncat -u and socat UDP-LISTEN answer the first sender only.
#
#	bench/udp.sh [SECS] [RUNS] [WINDOW]
#
# SOCKKIT names the binary (default: the one beside bench/): measure a build made
# without --enable-debug.
. "$(dirname "$0")/lib.sh"
need socat ncat taskset ss python3 cc

SECS=${1:-3}
RUNS=${2:-3}
WINDOW=${3:-32}
: "${SIZES:=64 1400}"

cc -O2 -o "$WORK/udp-load" "$BENCH_DIR/udp-load.c" &&
    cc -O2 -o "$WORK/udp-echo-min" "$BENCH_DIR/udp-echo-min.c" || exit 1

udp_free_port() {
	python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_udp PORT: until something is bound to UDP port PORT (5 s).
wait_udp() {
	for _i in $(seq 100); do
		ss -Hunl "sport = :$1" | grep -q . && return 0
		sleep 0.05
	done
	echo "nothing is bound to UDP port $1" >&2
	return 1
}

# run_one PLACEMENT SIZE SERVER-CMD: prints "echoes/s equivalents/s".
run_one() {
	local place=$1 size=$2 server=${3//PORT/$4} port=$4 pid out
	taskset -c "$(cpu_server "$place")" bash -c "exec $server" \
	    >/dev/null 2>"$WORK/server.err" &
	pid=$!
	wait_udp "$port" || { kill "$pid"; return 1; }
	out=$(taskset -c "$(cpu_client "$place")" "$WORK/udp-load" "$port" \
	    "$size" "$SECS" "$WINDOW" 2>>"$WORK/load.err")
	kill "$pid" 2>/dev/null
	wait_gone "$pid" >/dev/null
	echo "${out% *}"
}

# name|server; PORT is replaced.
TOOLS=(
"sockkit|$SOCKKIT udp -l --mode echo 127.0.0.1 PORT"
"minimal-loop|$WORK/udp-echo-min PORT 120"
"socat-fork|socat -T 0.5 UDP-RECVFROM:PORT,bind=127.0.0.1,fork EXEC:cat"
"socat-pipe|socat UDP-LISTEN:PORT,bind=127.0.0.1 PIPE"
"ncat|ncat -u -l 127.0.0.1 PORT -e /bin/cat"
)
PEERS="socat-fork socat-pipe ncat"

describe_machine
echo "# $SECS s a run after 0.5 s of warm-up, median of $RUNS runs," \
    "window $WINDOW; echoes/s (equivalents/s)"
declare -A rate equiv
for place in $PLACEMENTS; do
	for size in $SIZES; do
		# Runs interleave the tools, so a busy moment hits them all.
		R=$WORK/rates.$place.$size
		for t in "${TOOLS[@]}"; do : >"$R.${t%%|*}"; done
		for r in $(seq "$RUNS"); do
			for t in "${TOOLS[@]}"; do
				IFS='|' read -r name server <<<"$t"
				run_one "$place" "$size" "$server" \
				    "$(udp_free_port)" >>"$R.$name" ||
				    echo "failed failed" >>"$R.$name"
			done
		done
		for t in "${TOOLS[@]}"; do
			name=${t%%|*}
			# Round N is line N of $R.NAME.rate, for per_round.
			cut -d' ' -f1 "$R.$name" >"$R.$name.rate"
			rate[$place,$size,$name]=$(grep -v failed \
			    "$R.$name.rate" | median)
			equiv[$place,$size,$name]=$(cut -d' ' -f2 "$R.$name" |
			    grep -v failed | median)
			printf '%-6s %5s B  %-13s %9.0f (%9.0f)\n' "$place" \
			    "$size" "$name" "${rate[$place,$size,$name]}" \
			    "${equiv[$place,$size,$name]}"
		done
	done
done
echo
printf '%-6s %5s    %-36s %s\n' placement size ratio \
    "median min-max (round by round)"
for place in $PLACEMENTS; do
	for size in $SIZES; do
		best=; beste=; bn=; ben=
		for p in $PEERS; do
			v=${rate[$place,$size,$p]}
			e=${equiv[$place,$size,$p]}
			if [ -z "$best" ] || awk "BEGIN{exit !($v > $best)}"; then
				best=$v; bn=$p; fi
			if [ -z "$beste" ] || awk "BEGIN{exit !($e > $beste)}"; then
				beste=$e; ben=$p; fi
		done
		R=$WORK/rates.$place.$size
		v=$(per_round "$R.sockkit.rate" "$R.minimal-loop.rate" |
		    record_rounds "udp echo $size B: sockkit / minimal loop" \
		    "$place" 0.9)
		printf '%-6s %5s B  %-36s %s\n' "$place" "$size" \
		    "sockkit / minimal-loop" "$v"
		v=$(per_round "$R.sockkit.rate" "$R.$bn.rate" |
		    record_rounds "udp echo $size B: sockkit / $bn" "$place" 3)
		printf '%-6s %5s B  %-36s %s\n' "$place" "$size" \
		    "sockkit / best peer ($bn), echoes" "$v"
		printf '%-6s %5s B  %-36s %s\n' "$place" "$size" \
		    "sockkit / best peer ($ben), equiv." \
		    "$(ratio "${equiv[$place,$size,sockkit]}" "$beste")"
	done
done
[ -s "$WORK/load.err" ] && { echo; sort "$WORK/load.err" | uniq -c; }
exit 0
