# bench/lib.sh: helpers for the benchmark scripts.  Benchmarks send
# traffic only to 127.0.0.1; every wait is bounded.

: "${SOCKKIT:=$(cd "$(dirname "$0")/.." && pwd)/sockkit}"
# SOCKKIT and BENCH_RECORD given relative to where this started must hold
# after a cd: made absolute (a bare command name stays a PATH lookup).
case $SOCKKIT in /*) ;; */*) SOCKKIT=$(pwd)/$SOCKKIT ;; esac
case ${BENCH_RECORD:-/} in /*) ;; *) BENCH_RECORD=$(pwd)/$BENCH_RECORD ;; esac
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sockkit-bench.XXXXXX")
trap 'pkill -P $$ 2>/dev/null; rm -rf "$WORK"' EXIT

# Two placements on a 2-CPU machine: both ends on CPU 0, or one on each.
: "${PLACEMENTS:=same split}"
cpu_server() { [ "$1" = same ] && echo 0 || echo 1; }
cpu_client() { echo 0; }

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_listening PORT: until something listens on 127.0.0.1:PORT (5 s).
wait_listening() {
	for _i in $(seq 100); do
		ss -Hltn "sport = :$1" | grep -q . && return 0
		sleep 0.05
	done
	echo "nothing listens on port $1" >&2
	return 1
}

# wait_gone PID: until PID has ended (60 s), else kill it; returns its
# exit status, or 124 when it had to be killed.
wait_gone() {
	for _i in $(seq 6000); do
		kill -0 "$1" 2>/dev/null || { wait "$1"; return; }
		sleep 0.01
	done
	kill "$1" 2>/dev/null
	return 124
}

now() { date +%s.%N; }

# median of the numbers on stdin
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

need() {
	for c in "$@"; do
		command -v "$c" >/dev/null || { echo "bench: needs $c" >&2; exit 1; }
	done
}

# record WHAT PLACEMENT RATIO TARGET [SPREAD [MODES]]: one line for
# bench/run-all.sh's table (in $BENCH_RECORD when it is set; nothing
# otherwise).  SPREAD is "MIN-MAX" over rounds, MODES what spread says of
# a figure that falls in two groups.
record() {
	[ -n "${BENCH_RECORD:-}" ] || return 0
	printf '%s|%s|%s|%s|%s|%s\n' "$1" "$2" "$3" "$4" "${5:-}" "${6:-}" \
	    >>"$BENCH_RECORD"
}

# spread: the numbers on stdin, one a round, as "MEDIAN MIN-MAX", then
# "bimodal: LOW xN, HIGH xM" when they fall in two groups of at least two
# rounds each: the widest gap between neighbours is over a fifth of the
# value below it and wider than either group (each group's median and how
# many rounds fell in it).  One round off on its own is only the spread.
spread() {
	sort -g | awk '
	function mid(i, j) { return (a[int((i + j) / 2)] + a[int((i + j + 1) / 2)]) / 2 }
	{ a[NR] = $1 }
	END {
		if (NR == 0) { print "n/a n/a"; exit }
		printf "%.2f %.2f-%.2f", mid(1, NR), a[1], a[NR]
		for (i = 1; i < NR; i++)
			if (a[i + 1] - a[i] > g) { g = a[i + 1] - a[i]; at = i }
		if (at >= 2 && NR - at >= 2 && g > a[at] / 5 && g > a[at] - a[1] &&
		    g > a[NR] - a[at + 1])
			printf " bimodal: %.2f x%d, %.2f x%d", mid(1, at), at,
			    mid(at + 1, NR), NR - at
		printf "\n"
	}'
}

# per_round A B: A's figure over B's, round by round (line N of each file
# is round N; a failed round, not a number, gives no ratio).
per_round() {
	paste "$1" "$2" | awk '$1 + 0 > 0 && $2 + 0 > 0 { printf "%.4f\n", $1 / $2 }'
}

# record_rounds WHAT PLACEMENT TARGET: record the ratios on stdin (one a
# round) with their median, spread and modes; prints "MEDIAN MIN-MAX
# [bimodal: ...]" for the script's own output.
record_rounds() {
	local s med rng modes
	s=$(spread)
	read -r med rng modes <<<"$s"
	record "$1" "$2" "$med" "$3" "$rng" "$modes"
	echo "$s"
}

# The machine a figure came from: kernel, CPU count and model, load.
describe_machine() {
	echo "# $(uname -sr), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(date -u +%Y-%m-%d), load $(cut -d' ' -f1-3 /proc/loadavg)"
}
