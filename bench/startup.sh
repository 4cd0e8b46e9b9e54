#!/bin/bash
# bench/startup.sh: what one run costs a script that calls sockkit
# thousands of times (for h in $hosts; do nc -z -w1 $h 22; done):
#   "sockkit connect -z -w 1 127.0.0.1 PORT" beside OpenBSD
#   "nc -z -w 1 127.0.0.1 PORT", PORT closed (refused at once), and
#   "sockkit --version" beside "nc -h".
#
# RUNS runs of each command (default 1000) in ROUNDS rounds (default 10):
# a round times RUNS/ROUNDS runs of each tool with hyperfine -N (no shell
# in between; fork and exec included), the tool that goes first changing
# round by round, all on one CPU.  Printed: each tool's median over the
# rounds of a run's mean wall time, and nc's time over sockkit's, round
# by round: median and min-max (target: at least 1, sockkit no slower).
#
#	bench/startup.sh [RUNS] [ROUNDS]
. "$(dirname "$0")/lib.sh"
need nc hyperfine taskset python3

RUNS=${1:-1000}
ROUNDS=${2:-10}
PER=$(( (RUNS + ROUNDS - 1) / ROUNDS ))
CPU=${CPU:-1}
nc -h 2>&1 | grep -q 'OpenBSD netcat' ||
    { echo "bench: nc is not OpenBSD netcat" >&2; exit 1; }

# mean_ms JSON INDEX: a hyperfine result's mean, in milliseconds.
mean_ms() {
	python3 -c 'import json, sys
print("%.4f" % (json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["mean"] * 1e3))' "$1" "$2"
}

# pair NAME SOCKKIT-CMD NC-CMD: ROUNDS rounds of both; prints the line.
pair() {
	local name=$1 r first second
	local -A cmd=([sk]=$2 [nc]=$3)
	: >"$WORK/$name.sk"; : >"$WORK/$name.nc"
	for r in $(seq "$ROUNDS"); do
		if [ $((r % 2)) = 1 ]; then first=sk second=nc
		else first=nc second=sk; fi
		taskset -c "$CPU" hyperfine -N -i -w 3 -r "$PER" --style none \
		    --export-json "$WORK/round.json" "${cmd[$first]}" \
		    "${cmd[$second]}" >/dev/null 2>&1 ||
		    { echo "bench: hyperfine failed: $2, $3" >&2; return 1; }
		mean_ms "$WORK/round.json" 0 >>"$WORK/$name.$first"
		mean_ms "$WORK/round.json" 1 >>"$WORK/$name.$second"
	done
	printf '%-24s sockkit %6s ms  nc %6s ms  nc/sockkit %s\n' "$name" \
	    "$(median <"$WORK/$name.sk")" "$(median <"$WORK/$name.nc")" \
	    "$(per_round "$WORK/$name.nc" "$WORK/$name.sk" |
	    record_rounds "start-up, $name: nc time / sockkit" - 1)"
}

port=$(free_port)
# Both must find the port closed and say nothing about it.
"$SOCKKIT" connect -z -w 1 127.0.0.1 "$port" 2>/dev/null &&
    { echo "bench: port $port is open" >&2; exit 1; }
describe_machine
echo "# $ROUNDS rounds of $PER runs each, on CPU $CPU; sockkit $("$SOCKKIT" \
    --version | cut -d' ' -f2), shared libraries: $(ldd "$SOCKKIT" |
    awk '/=>/ { printf "%s ", $1 }')"
echo "# mean wall time a run: median over rounds; nc/sockkit: median, min-max"
pair "connect -z closed port" \
    "$SOCKKIT connect -z -w 1 127.0.0.1 $port" "nc -z -w 1 127.0.0.1 $port"
pair "--version vs nc -h" "$SOCKKIT --version" "nc -h"
