#!/bin/bash
# bench/exec.sh: a program per connection and the broker, sockkit beside
# ncat and socat.
#
#   exec:   connections per second of listen -k --sh-exec cat, beside
#           ncat -lk --sh-exec cat and socat EXEC:cat,fork, with one and
#           eight clients (bench/accept-load.c's wait load: connect,
#           shut down, read until cat has ended and the socket closes);
#   broker: MBYTES (default 100) from one client to READERS (default 10)
#           others through listen --broker beside ncat --broker
#           (bench/fanout-load.c), in MB/s delivered, all readers
#           together.
# RUNS rounds (default 3) take the servers in turn, in both placements;
# printed: medians, and sockkit's ratios round by round (median, min-max).
#
#	[ONLY="exec broker"] bench/exec.sh [CONNS_PER_CLIENT] [RUNS] [MBYTES]
. "$(dirname "$0")/lib.sh"
need ncat socat taskset ss cc

COUNT=${1:-300}
RUNS=${2:-3}
MBYTES=${3:-100}
READERS=${READERS:-10}
ONLY=${ONLY:-exec broker}
cc -O2 -o "$WORK/accept-load" "$BENCH_DIR/accept-load.c" || exit 1
cc -O2 -o "$WORK/fanout-load" "$BENCH_DIR/fanout-load.c" || exit 1
# As root, --exec needs --no-drop or --user: the peers keep root too.
[ "$(id -u)" = 0 ] && NODROP=--no-drop || NODROP=

# serve PLACEMENT SERVER-CMD PORT: start the server pinned; sets $spid.
serve() {
	taskset -c "$(cpu_server "$1")" bash -c "exec ${2//PORT/$3}" \
	    </dev/null >/dev/null 2>"$WORK/server.err" &
	spid=$!
	wait_listening "$3"
}

# load_one PLACEMENT SERVER-CMD LOADER ARGS...: start the server, run
# LOADER PORT ARGS... against it (it prints "FIGURE FAILURES"); prints
# the figure, or fail when some connection or reader failed.
load_one() {
	local place=$1 cmd=$2 loader=$3 port out
	shift 3
	port=$(free_port)
	serve "$place" "$cmd" "$port" || { echo fail; return 1; }
	out=$(taskset -c "$(cpu_client "$place")" "$loader" "$port" "$@")
	kill "$spid"; wait "$spid" 2>/dev/null
	set -- $out
	[ "$2" = 0 ] || { echo "$2 failed: $cmd" >&2; echo fail; return; }
	echo "$1"
}

EXEC_SERVERS=(
"sockkit|$SOCKKIT listen -k $NODROP --max-conns 100 --sh-exec cat 127.0.0.1 PORT"
"ncat|ncat -lk --sh-exec cat 127.0.0.1 PORT"
"socat|socat TCP-LISTEN:PORT,bind=127.0.0.1,reuseaddr,fork EXEC:cat"
)
BROKER_SERVERS=(
"sockkit|$SOCKKIT listen --broker 127.0.0.1 PORT"
"ncat|ncat -l --broker 127.0.0.1 PORT"
)

# rounds WHAT PLACEMENT UNIT LOADER ARGS... -- SERVERS...: RUNS rounds
# of load_one over the servers in turn; prints medians and sockkit's
# ratios.
rounds() {
	local what=$1 place=$2 unit=$3 args=() s name cmd r p
	shift 3
	while [ "$1" != -- ]; do args+=("$1"); shift; done
	shift
	rm -f "$WORK"/rates.*
	for r in $(seq "$RUNS"); do
		for s in "$@"; do
			IFS='|' read -r name cmd <<<"$s"
			load_one "$place" "$cmd" "${args[@]}" \
			    >>"$WORK/rates.$name"
		done
	done
	for s in "$@"; do
		name=${s%%|*}
		printf '%-6s %-22s %-8s %10s %s\n' "$place" "$what" "$name" \
		    "$(median <"$WORK/rates.$name")" "$unit"
	done
	for s in "$@"; do
		p=${s%%|*}
		[ "$p" = sockkit ] && continue
		printf '%-6s %-22s sockkit / %-6s %s\n' "$place" "$what" "$p" \
		    "$(per_round "$WORK/rates.sockkit" "$WORK/rates.$p" |
		    record_rounds "$what: sockkit / $p" "$place" 1.5)"
	done
}

describe_machine
echo "# exec: $COUNT connections a client, broker: $MBYTES MB to $READERS readers; $RUNS rounds"
for place in $PLACEMENTS; do
	case " $ONLY " in *" exec "*)
		for n in 1 8; do
			rounds "--sh-exec cat, $n client$([ $n = 1 ] || echo s)" \
			    "$place" conn/s "$WORK/accept-load" "$n" "$COUNT" \
			    wait -- "${EXEC_SERVERS[@]}"
		done ;;
	esac
	case " $ONLY " in *" broker "*)
		rounds "--broker fan-out" "$place" MB/s "$WORK/fanout-load" \
		    "$READERS" "$MBYTES" -- "${BROKER_SERVERS[@]}" ;;
	esac
done
