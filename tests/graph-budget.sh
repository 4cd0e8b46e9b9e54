#!/bin/bash
# tests/graph-budget.sh: view --graph's memory is bounded whatever the
# input.  One TCP conversation of 10^6 packets (500000 data segments, 500
# of them retransmissions; tests/graph-gen.py) read from a pipe: the peak
# resident memory with --graph stays within BOUND of the same view
# without it, the graph is decimated into at most 2048 columns that
# still count every segment, every retransmission is kept, the ACK line
# ends at the last ACK, and the file stays small.
. "$srcdir/lib.sh"
need_cmd python3 xmllint
plan 7
# ASan's quarantine of freed memory is not sockkit's (tests/svg-budget.sh).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=1"
BOUND=$((8 * 1024))	# KiB that the graph may add to view's own peak
N=1000000

# peak ARGS...: the peak KiB of "sockkit view ARGS -" over the capture.
peak() {
	python3 "$srcdir/graph-gen.py" $N |
	    python3 "$srcdir/svg-helper.py" peak "$SOCKKIT" view "$@" - \
	    2>>"$TMP/err"
}

base=$(peak --summary)
with=$(peak --summary --graph "$TMP/g.svg")
ok "$([ "$with" -le $((base + BOUND)) ]; echo $?)" \
    "10^6 packets: --graph adds at most 8 MiB to view's peak ($with KiB, view alone $base KiB)"
xmllint --huge --noout "$TMP/g.svg"
ok $? "the graph is well-formed"
bins=$(grep -c 'class="data-bin"' "$TMP/g.svg")
ok "$([ "$bins" -ge 1 ] && [ "$bins" -le 2048 ]; echo $?)" \
    "decimated into at most 2048 columns ($bins)"
n=$(grep -o 'class="data[-a-z ]*" data-n="[0-9]*"' "$TMP/g.svg" |
    grep -o '[0-9]*"$' | tr -d '"' | awk '{ s += $1 } END { print s }')
is "$n" 500000 "the columns and bars count every data segment"
is "$(grep -c 'class="data retrans"' "$TMP/g.svg")" 500 \
    "every retransmission kept"
grep -q '<path class="ack" data-last="49950001"' "$TMP/g.svg"
ok $? "the ACK line ends at the last ACK (499500 new segments of 100 bytes)"
ok "$([ "$(stat -c %s "$TMP/g.svg")" -le $((1024 * 1024)) ]; echo $?)" \
    "the file is at most 1 MiB"
done_testing
