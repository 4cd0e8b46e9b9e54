#!/bin/bash
# bench/accept.sh: connections per second a server takes, sockkit beside
# ncat -k, socat fork and a minimal accept-and-close loop (the limit).
#
# Two loads, from bench/accept-load.c with 8 client processes:
#   wait:  each client connects, shuts down its side, waits for the close;
#   burst: each client connects and closes at once, never waiting.
# Each runs RUNS times (default 3) in both placements; medians and
# sockkit's ratios are printed.
#
#	bench/accept.sh [CONNS_PER_CLIENT] [RUNS]
. "$(dirname "$0")/lib.sh"
need ncat socat taskset ss cc python3

COUNT=${1:-2000}
RUNS=${2:-3}
CLIENTS=8
cc -O2 -o "$WORK/accept-loop" "$BENCH_DIR/accept-loop.c" || exit 1
cc -O2 -o "$WORK/accept-load" "$BENCH_DIR/accept-load.c" || exit 1

# run_one PLACEMENT LOAD SERVER-CMD: prints connections/s (or "fail").
run_one() {
	local place=$1 load=$2 server=${3//PORT/$4} pid out
	taskset -c "$(cpu_server "$place")" bash -c "exec $server" \
	    </dev/null >/dev/null 2>"$WORK/server.err" &
	pid=$!
	wait_listening "$4" || return 1
	out=$(taskset -c "$(cpu_client "$place")" "$WORK/accept-load" "$4" \
	    "$CLIENTS" "$COUNT" "$load")
	kill "$pid"; wait "$pid" 2>/dev/null
	set -- $out
	[ "$2" = 0 ] || echo "$2 connections failed: $server" >&2
	echo "$1"
}

SERVERS=(
"sockkit|$SOCKKIT listen -k --mode discard --max-conns 10000 127.0.0.1 PORT"
"ncat|ncat -l -k --recv-only 127.0.0.1 PORT"
"socat|socat -u TCP-LISTEN:PORT,bind=127.0.0.1,reuseaddr,fork OPEN:/dev/null"
"limit|$WORK/accept-loop PORT"
)

describe_machine
echo "# $CLIENTS clients x $COUNT connections, median of $RUNS runs, conn/s"
declare -A rate
for place in $PLACEMENTS; do
	for load in wait burst; do
		# Rounds take the servers in turn, so that what one run leaves
		# behind (TIME_WAIT sockets, a warm cache) falls on all alike.
		rm -f "$WORK"/rates.*
		for r in $(seq "$RUNS"); do
			for s in "${SERVERS[@]}"; do
				IFS='|' read -r name cmd <<<"$s"
				run_one "$place" "$load" "$cmd" "$(free_port)" \
				    >>"$WORK/rates.$name"
			done
		done
		for s in "${SERVERS[@]}"; do
			name=${s%%|*}
			rate[$place,$load,$name]=$(median <"$WORK/rates.$name")
			printf '%-6s %-6s %-8s %s conn/s\n' "$place" "$load" \
			    "$name" "${rate[$place,$load,$name]}"
		done
	done
done
echo
for place in $PLACEMENTS; do
	for load in wait burst; do
		for p in limit ncat socat; do
			v=$(ratio "${rate[$place,$load,sockkit]}" \
			    "${rate[$place,$load,$p]}")
			printf '%-6s %-6s sockkit / %-6s %s\n' "$place" "$load" \
			    "$p" "$v"
			[ "$p" = limit ] && tg=0.9 || tg=
			record "accepts/s ($load): sockkit / $p" "$place" "$v" "$tg"
		done
	done
done
