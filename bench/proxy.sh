#!/bin/bash
# bench/proxy.sh: bulk transfer through a SOCKS5 proxy, microsocks and
# dante's danted: sockkit connect --proxy beside ncat --proxy, the same
# proxy and the same sink.
#
# SIZE MiB (default 1024) go from the client through the proxy to a socat
# sink (128 KiB reads); each client runs RUNS times (default 3) in both
# placements, all on CPU 0 ("same"), or the client on CPU 0 and proxy and
# sink on CPU 1 ("split"); the median rate of each and sockkit's ratio
# are printed.  microsocks relays 1 KiB at a time, which bounds both
# clients alike; danted relays in larger blocks, where the client shows.
# PROXIES names the proxies to run (default: those installed).
#
#	bench/proxy.sh [SIZE_MIB] [RUNS]
. "$(dirname "$0")/lib.sh"
need ncat socat taskset ss python3

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
	taskset -c "$(cpu_server "$place")" socat -b 131072 -u \
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

# start_proxy NAME PLACEMENT PORT: the proxy on PORT; its pid in $mpid.
start_proxy() {
	case $1 in
	microsocks)
		taskset -c "$(cpu_server "$2")" microsocks -i 127.0.0.1 -p "$3" \
		    >/dev/null 2>&1 & ;;
	dante)
		cat >"$WORK/danted.conf" <<-CONF
		logoutput: $WORK/danted.log
		internal: 127.0.0.1 port = $3
		external: 127.0.0.1
		clientmethod: none
		socksmethod: none
		user.privileged: root
		user.unprivileged: nobody
		client pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }
		socks pass { from: 0.0.0.0/0 to: 0.0.0.0/0 protocol: tcp }
		CONF
		taskset -c "$(cpu_server "$2")" danted -f "$WORK/danted.conf" \
		    -p "$WORK/danted.pid" >/dev/null 2>&1 & ;;
	esac
	mpid=$!
	wait_listening "$3"
}

if [ -z "${PROXIES:-}" ]; then
	PROXIES=
	command -v microsocks >/dev/null && PROXIES="microsocks"
	command -v danted >/dev/null && [ "$(id -u)" = 0 ] &&
	    PROXIES="$PROXIES dante"
fi
[ -n "$PROXIES" ] || { echo "bench/proxy.sh: needs microsocks or danted (as root)" >&2; exit 1; }

describe_machine
declare -A rate
for proxy in $PROXIES; do
	echo "# $MIB MiB a transfer through $proxy (SOCKS5), median of $RUNS runs, GB/s"
	for place in $PLACEMENTS; do
		ms=$(free_port)
		start_proxy "$proxy" "$place" "$ms" ||
		    { echo "$proxy did not start" >&2; exit 1; }
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
		pkill -f "danted -f $WORK/danted.conf" 2>/dev/null
		for t in "${TOOLS[@]}"; do
			name=${t%%|*}
			rate[$place,$name]=$(grep -v failed "$WORK/rates.$place.$name" |
			    median)
			printf '%-6s %-10s %s GB/s\n' "$place" "$name" "${rate[$place,$name]}"
		done
		cp "$WORK/rates.$place.sockkit" "$WORK/r.$proxy.$place.sockkit"
		cp "$WORK/rates.$place.ncat" "$WORK/r.$proxy.$place.ncat"
	done
	echo
	# The target (1.3) is for a proxy that does not bound both clients.
	target=1.3
	[ "$proxy" = microsocks ] && target=
	for place in $PLACEMENTS; do
		v=$(per_round "$WORK/r.$proxy.$place.sockkit" \
		    "$WORK/r.$proxy.$place.ncat" |
		    record_rounds "proxy: socks5 relay via $proxy / ncat --proxy" \
		    "$place" "$target")
		printf '%-6s sockkit / ncat --proxy via %-10s %s (median min-max, round by round)\n' \
		    "$place" "$proxy" "$v"
	done
done
