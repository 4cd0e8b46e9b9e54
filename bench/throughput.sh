#!/bin/bash
# bench/throughput.sh: bulk transfer over loopback, sockkit beside its peers.
#
# SIZE bytes (default 4 GiB) go from a client to a server that throws them
# away; each tool runs RUNS times (default 3) in both placements, both ends
# on CPU 0 ("same") and one end on each CPU ("split"), and the median rate
# of each is printed with sockkit's ratios to the peers.
#
#	bench/throughput.sh [SIZE_MIB] [RUNS]
. "$(dirname "$0")/lib.sh"
need nc ncat socat iperf3 taskset ss python3

MIB=${1:-4096}
RUNS=${2:-3}
BYTES=$((MIB * 1024 * 1024))
DATA=$WORK/data
truncate -s "$BYTES" "$DATA"	# zeros; read once to warm the cache
cat "$DATA" >/dev/null

# One transfer: run_one PLACEMENT SERVER-CMD CLIENT-CMD; prints GB/s.
run_one() {
	local place=$1 server=$2 client=$3 port pid t0 t1
	port=$(free_port)
	server=${server//PORT/$port}
	client=${client//PORT/$port}
	taskset -c "$(cpu_server "$place")" bash -c "exec $server" \
	    >/dev/null 2>"$WORK/server.err" &
	pid=$!
	wait_listening "$port" || return 1
	t0=$(now)
	taskset -c "$(cpu_client "$place")" bash -c "exec $client" \
	    <"$DATA" >/dev/null 2>"$WORK/client.err" || {
		echo "client failed: $client: $(cat "$WORK/client.err")" >&2
		return 1; }
	wait_gone "$pid" || {
		echo "server failed: $server: $(cat "$WORK/server.err")" >&2
		return 1; }
	t1=$(now)
	awk -v b="$BYTES" -v t0="$t0" -v t1="$t1" \
	    'BEGIN { printf "%.3f\n", b / (t1 - t0) / 1e9 }'
}

# name|server|client; PORT is replaced, stdin is the data file.
TOOLS=(
"sockkit-discard|$SOCKKIT listen 127.0.0.1 PORT --mode discard|$SOCKKIT connect 127.0.0.1 PORT"
"sockkit-stdout|$SOCKKIT listen 127.0.0.1 PORT|$SOCKKIT connect 127.0.0.1 PORT"
"nc|nc -l 127.0.0.1 PORT|nc -N 127.0.0.1 PORT"
"ncat|ncat -l 127.0.0.1 PORT|ncat --send-only 127.0.0.1 PORT"
"socat|socat -u TCP-LISTEN:PORT,bind=127.0.0.1,reuseaddr STDOUT|socat -u STDIN TCP:127.0.0.1:PORT"
"iperf3|iperf3 -s -1 -B 127.0.0.1 -p PORT|iperf3 -c 127.0.0.1 -p PORT -n $BYTES"
)

describe_machine
echo "# $MIB MiB a transfer, median of $RUNS runs, GB/s"
declare -A rate
for place in $PLACEMENTS; do
	# Rounds take the tools in turn, so that drift in the machine's
	# speed falls on all of them alike.
	# A failed round keeps its line, so that round N stays line N.
	rm -f "$WORK/rates.$place".*
	for r in $(seq "$RUNS"); do
		for t in "${TOOLS[@]}"; do
			IFS='|' read -r name server client <<<"$t"
			run_one "$place" "$server" "$client" \
			    >>"$WORK/rates.$place.$name" ||
			    echo failed >>"$WORK/rates.$place.$name"
		done
	done
	for t in "${TOOLS[@]}"; do
		name=${t%%|*}
		rate[$place,$name]=$(grep -v failed "$WORK/rates.$place.$name" |
		    median)
		printf '%-6s %-16s %s GB/s\n' "$place" "$name" \
		    "${rate[$place,$name]}"
	done
done
echo
printf '%-6s %-34s %s\n' placement ratio "median min-max (round by round)"
for place in $PLACEMENTS; do
	for s in sockkit-discard sockkit-stdout; do
		for p in socat nc ncat iperf3; do
			case $p in iperf3) tg=0.85 ;; nc) tg=1.3 ;; socat) tg=1.4 ;; *) tg= ;; esac
			v=$(per_round "$WORK/rates.$place.$s" \
			    "$WORK/rates.$place.$p" |
			    record_rounds "throughput: ${s#sockkit-} / $p" \
			    "$place" "$tg")
			printf '%-6s %-34s %s\n' "$place" "$s / $p" "$v"
		done
	done
done
