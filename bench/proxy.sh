#!/bin/bash
# bench/proxy.sh: bulk transfer through a SOCKS5 proxy (microsocks):
# sockkit connect --proxy beside ncat --proxy, the same proxy and the
# same sink.
#
# SIZE MiB (default 1024) go from the client through the proxy to a socat
# sink; each client runs RUNS times (default 3) in both placements, all on
# CPU 0 ("same"), or the client on CPU 0 and proxy and sink on CPU 1
# ("split"); the median rate of each and sockkit's ratio are printed.
#
#	bench/proxy.sh [SIZE_MIB] [RUNS]
. "$(dirname "$0")/lib.sh"
need ncat socat microsocks taskset ss python3

MIB=${1:-1024}
RUNS=${2:-3}
BYTES=$((MIB * 1024 * 1024))
DATA=$WORK/data
truncate -s "$BYTES" "$DATA"
cat "$DATA" >/dev/null

# One transfer: run_one PLACEMENT PROXY-PORT CLIENT-CMD; prints GB/s.
run_one() {
	local place=$1 ms=$2 client=$3 port pid t0 t1
	port=$(free_port)
	client=${client//PORT/$port}
	client=${client//PROXY/$ms}
	taskset -c "$(cpu_server "$place")" socat -u \
	    TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr OPEN:/dev/null \
	    2>"$WORK/server.err" &
	pid=$!
	wait_listening "$port" || return 1
	t0=$(now)
	taskset -c "$(cpu_client "$place")" bash -c "exec $client" \
	    <"$DATA" >/dev/null 2>"$WORK/client.err" || {
		echo "client failed: $client: $(cat "$WORK/client.err")" >&2
		return 1; }
	wait_gone "$pid" || { echo "sink did not end" >&2; return 1; }
	t1=$(now)
	awk -v b="$BYTES" -v t0="$t0" -v t1="$t1" \
	    'BEGIN { printf "%.3f\n", b / (t1 - t0) / 1e9 }'
}

TOOLS=(
"sockkit|$SOCKKIT connect --proxy 127.0.0.1:PROXY --proxy-type socks5 127.0.0.1 PORT"
"ncat|ncat --proxy 127.0.0.1:PROXY --proxy-type socks5 --send-only 127.0.0.1 PORT"
)

describe_machine
echo "# $MIB MiB a transfer through microsocks (SOCKS5), median of $RUNS runs, GB/s"
declare -A rate
for place in $PLACEMENTS; do
	ms=$(free_port)
	taskset -c "$(cpu_server "$place")" microsocks -i 127.0.0.1 -p "$ms" \
	    >/dev/null 2>&1 &
	mpid=$!
	wait_listening "$ms" || { echo "microsocks did not start" >&2; exit 1; }
	# A failed round keeps its line, so that round N stays line N.
	rm -f "$WORK/rates.$place".*
	for r in $(seq "$RUNS"); do
		for t in "${TOOLS[@]}"; do
			IFS='|' read -r name client <<<"$t"
			run_one "$place" "$ms" "$client" \
			    >>"$WORK/rates.$place.$name" ||
			    echo failed >>"$WORK/rates.$place.$name"
		done
	done
	kill "$mpid"; wait "$mpid" 2>/dev/null
	for t in "${TOOLS[@]}"; do
		name=${t%%|*}
		rate[$place,$name]=$(grep -v failed "$WORK/rates.$place.$name" |
		    median)
		printf '%-6s %-10s %s GB/s\n' "$place" "$name" "${rate[$place,$name]}"
	done
done
echo
for place in $PLACEMENTS; do
	v=$(per_round "$WORK/rates.$place.sockkit" "$WORK/rates.$place.ncat" |
	    record_rounds "proxy: socks5 relay / ncat --proxy" "$place" 1.3)
	printf '%-6s sockkit / ncat --proxy   %s (median min-max, round by round)\n' \
	    "$place" "$v"
done
