#!/bin/bash
# bench/accept.sh: connections per second a server takes, sockkit beside
# ncat -k, socat fork and a minimal accept-and-close loop (the limit).
#
# Two loads, from bench/accept-load.c with 8 client processes:
#   wait:  each client connects, shuts down its side, waits for the close;
#   burst: each client connects and closes at once, never waiting.
# RUNS rounds (default 5) take the servers in turn, in both placements;
# printed: medians, and sockkit's ratios round by round (median, min-max).
#
# All of it runs in a namespace of its own, whose listen queues may hold
# every connection of a run (net.core.somaxconn; sockkit -b, the limit's
# and socat's backlog; ncat has no such option).  With the default 4096,
# open-loop burst clients on one CPU overflow the queue of any server,
# the limit's too: a dropped SYN is sent again 1 s later, and a run that
# ends waiting for one takes a third longer (a bimodal figure decided by
# the retry timer, not by the server).  Each run's overflows
# (TcpExtListenOverflows) are counted and printed.
#
#	sudo [ONLY="sockkit limit"] bench/accept.sh [CONNS_PER_CLIENT] [RUNS]
. "$(dirname "$0")/lib.sh"
need ncat socat taskset ss cc ip nstat
[ "$(id -u)" = 0 ] || { echo "bench: accept.sh needs root (a namespace)" >&2; exit 1; }

COUNT=${1:-2000}
RUNS=${2:-5}
ONLY=${ONLY:-sockkit ncat socat limit}	# the servers to run
CLIENTS=8
BACKLOG=$((CLIENTS * COUNT + 1024))
NS=skba$$
cc -O2 -o "$WORK/accept-loop" "$BENCH_DIR/accept-loop.c" || exit 1
cc -O2 -o "$WORK/accept-load" "$BENCH_DIR/accept-load.c" || exit 1
trap 'pkill -P $$ 2>/dev/null; ip netns del $NS 2>/dev/null; rm -rf "$WORK"' EXIT
ip netns add $NS && ip -n $NS link set lo up &&
    ip netns exec $NS sysctl -qw net.core.somaxconn=$((BACKLOG > 65535 ? 65535 : BACKLOG)) \
    net.ipv4.tcp_max_syn_backlog=$BACKLOG ||
    { echo "bench: cannot make the namespace" >&2; exit 1; }
in_ns() { ip netns exec $NS "$@"; }

# ns_listening PORT: until something listens on PORT in the namespace.
ns_listening() {
	for _i in $(seq 100); do
		in_ns ss -Hltn "sport = :$1" | grep -q . && return 0
		sleep 0.05
	done
	echo "nothing listens on port $1" >&2
	return 1
}

# run_one PLACEMENT LOAD SERVER-CMD PORT: prints "CONN/S OVERFLOWS" (or
# "fail").
run_one() {
	local place=$1 load=$2 server=${3//PORT/$4} pid out ov
	# Not through in_ns: $! must be the server itself, for the kill.
	ip netns exec $NS taskset -c "$(cpu_server "$place")" \
	    bash -c "exec $server" </dev/null >/dev/null 2>"$WORK/server.err" &
	pid=$!
	ns_listening "$4" || { echo fail; return 1; }
	ov=$(overflows)
	out=$(in_ns taskset -c "$(cpu_client "$place")" "$WORK/accept-load" \
	    "$4" "$CLIENTS" "$COUNT" "$load")
	ov=$(( $(overflows) - ov ))
	kill "$pid"; wait "$pid" 2>/dev/null
	set -- $out
	[ "$2" = 0 ] || echo "$2 connections failed: $server" >&2
	echo "$1 $ov"
}

# overflows: the namespace's count of connections its listen queues had
# no room for, ever (nstat's history file is per user, not per namespace).
overflows() {
	in_ns nstat -az TcpExtListenOverflows |
	    awk '$1 == "TcpExtListenOverflows" { n = $2 } END { print n + 0 }'
}

SERVERS=(
"sockkit|$SOCKKIT listen -k -b $BACKLOG --mode discard --max-conns 10000 127.0.0.1 PORT"
"ncat|ncat -l -k --recv-only 127.0.0.1 PORT"
"socat|socat -u TCP-LISTEN:PORT,bind=127.0.0.1,reuseaddr,fork,backlog=$BACKLOG OPEN:/dev/null"
"limit|$WORK/accept-loop PORT $BACKLOG"
)

describe_machine
echo "# $CLIENTS clients x $COUNT connections, $RUNS rounds, conn/s medians;"
echo "# ratios: median, min-max over rounds; listen backlog $BACKLOG"
for place in $PLACEMENTS; do
	for load in wait burst; do
		# Rounds take the servers in turn, so that what one run leaves
		# behind (TIME_WAIT sockets, a warm cache) falls on all alike.
		rm -f "$WORK"/rates.* "$WORK"/ov.*
		for r in $(seq "$RUNS"); do
			for s in "${SERVERS[@]}"; do
				IFS='|' read -r name cmd <<<"$s"
				case " $ONLY " in *" $name "*) ;; *) continue ;; esac
				read -r rate ov < <(run_one "$place" "$load" \
				    "$cmd" "$(free_port)")
				echo "$rate" >>"$WORK/rates.$name"
				echo "$ov" >>"$WORK/ov.$name"
			done
		done
		for s in "${SERVERS[@]}"; do
			name=${s%%|*}
			[ -s "$WORK/rates.$name" ] || continue
			printf '%-6s %-6s %-8s %8s conn/s  queue overflows a run: %s\n' \
			    "$place" "$load" "$name" \
			    "$(median <"$WORK/rates.$name")" \
			    "$(paste -sd' ' "$WORK/ov.$name")"
		done
		for p in limit ncat socat; do
			[ -s "$WORK/rates.$p" ] || continue
			[ "$p" = limit ] && tg=0.9 || tg=
			printf '%-6s %-6s sockkit / %-6s %s\n' "$place" "$load" "$p" \
			    "$(per_round "$WORK/rates.sockkit" "$WORK/rates.$p" |
			    record_rounds "accepts/s ($load): sockkit / $p" \
			    "$place" "$tg")"
		done
	done
done
