#!/bin/bash
# bench/run-all.sh: every benchmark in one run, then one table of sockkit's
# ratios to its peers with the machine's description.  Each script's own
# output is kept in OUT (default bench-results/) for the details.
#
#	sudo bench/run-all.sh [quick]
#
# "quick" uses smaller sizes and fewer runs (about 10 minutes instead of
# 30).  SOCKKIT=path picks the binary: build it without --enable-debug.
# SKIP="view probe" leaves scripts out.
set -u
here=$(cd "$(dirname "$0")" && pwd)
export SOCKKIT=${SOCKKIT:-$here/../sockkit}
OUT=${OUT:-bench-results}
mkdir -p "$OUT" && OUT=$(cd "$OUT" && pwd) || exit 1	# the scripts cd
export BENCH_RECORD=$OUT/ratios
: >"$BENCH_RECORD"

if [ "${1:-}" = quick ]; then
	runs=(
	"startup|$here/startup.sh 400 4"
	"throughput|$here/throughput.sh 1024 3"
	"proxy|$here/proxy.sh 512 3"
	"accept|$here/accept.sh 1000 3"
	"udp|$here/udp.sh 2 3"
	"memory|$here/memory.sh 512"
	"view|$here/view.sh 65000"
	"probe|$here/probe.sh 3"
	"raw|$here/raw.sh"
	"exec|$here/exec.sh 30 2 50"
	"tls|$here/tls.sh 100 2 500"
	"graph|$here/graph.sh 200000"
	)
else
	runs=(
	"startup|$here/startup.sh 1000 10"
	"throughput|$here/throughput.sh 4096 3"
	"proxy|$here/proxy.sh 2048 3"
	"accept|$here/accept.sh 2000 5"
	"udp|$here/udp.sh 3 5"
	"memory|$here/memory.sh 1024"
	"view|$here/view.sh"
	"probe|$here/probe.sh 3"
	"raw|$here/raw.sh"
	"exec|$here/exec.sh 100 3"
	"tls|$here/tls.sh 200 3 1000"
	"graph|$here/graph.sh"
	)
fi

[ -x "$SOCKKIT" ] || { echo "bench/run-all.sh: no sockkit at $SOCKKIT" >&2; exit 1; }
load0=$(cut -d' ' -f1-3 /proc/loadavg)
[ "$(id -u)" = 0 ] || echo "bench/run-all.sh: not root: view, probe and raw" \
    "need namespaces and will fail" >&2

for r in "${runs[@]}"; do
	name=${r%%|*} cmd=${r#*|}
	case " ${SKIP:-} " in *" $name "*) continue ;; esac
	[ -x "${cmd%% *}" ] || { echo "$name: ${cmd%% *} missing" >&2; continue; }
	echo "== $name: $cmd" >&2
	# shellcheck disable=SC2086
	$cmd >"$OUT/$name.txt" 2>&1 ||
	    echo "$name: failed (exit $?), see $OUT/$name.txt" >&2
done

# The table: one row per ratio, a column per placement (same: both ends
# on CPU 0; split: one on each; -: one process, or the scheduler's
# choice), the target from the issue that set it, and whether it is met.
# A cell is the median over rounds and, where the script kept them, the
# spread (min-max over rounds); a figure that fell in two groups is marked
# * and its modes listed under the table.
echo "# $(uname -sr) ($(uname -v | cut -c1-40)), $(nproc) CPUs: $(awk -F': ' '
    /^model name/ { m = $2 } /^cpu family/ { f = $2 } /^model\t/ { n = $2 }
    /^cpu MHz/ { h = $2 } END { printf "%s (family %s model %s, %.0f MHz)",
    m, f, n, h }' /proc/cpuinfo), $(date -u +%Y-%m-%d), $("$SOCKKIT" --version)"
echo "# load before the run: $load0; after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# ratios against socat, ncat, nc, nmap, tcpdump depend on the machine" \
    "(2-5x between two); those against iperf3 and the C loops do not"
awk -F'|' '
{
	if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 }
	v[$1, $2] = $3; if ($4 != "") target[$1] = $4
	c[$1, $2] = $3 ($5 != "" ? " (" $5 ")" : "") ($6 != "" ? "*" : "")
	if ($6 != "") notes[++nn] = $1 ", " ($2 == "-" ? "" : $2 ": ") $6
}
function cell(r, p) { return ((r, p) in c) ? c[r, p] : "" }
# A target is a floor (2: at least 2x), or a ceiling when it says so
# (<=1.3: a time at most 1.3x that of the limit).
function met(r,   p, ok, any, t) {
	if (!(r in target)) return ""
	ok = 1
	t = target[r]
	for (p in place) if ((r, place[p]) in v) {
		any = 1
		if (t ~ /^<=/) {
			if (v[r, place[p]] + 0 > substr(t, 3) + 0)
				ok = 0
		} else if (v[r, place[p]] + 0 < t + 0)
			ok = 0
	}
	return any ? (ok ? "yes" : "NO") : ""
}
function shown(t) { return t ~ /^<=/ ? t : ">=" t }
END {
	place[1] = "same"; place[2] = "split"; place[3] = "-"
	printf "%-58s %-19s %-19s %-19s %7s %4s\n", "ratio", "same", "split",
	    "-", "target", "met"
	for (i = 1; i <= n; i++) {
		r = order[i]
		printf "%-58s %-19s %-19s %-19s %7s %4s\n", r, cell(r, "same"),
		    cell(r, "split"), cell(r, "-"),
		    (r in target) ? shown(target[r]) : "", met(r)
	}
	for (i = 1; i <= nn; i++)
		printf "* %s\n", notes[i]
}' "$BENCH_RECORD"
