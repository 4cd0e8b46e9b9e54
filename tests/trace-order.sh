#!/bin/bash
# tests/trace-order.sh: the live ladder reads in causal order.  Calls are
# stamped before they are made and merged with the packets by time, so
# the time column of --trace (and t_ms of --json) never goes back: over a
# 50 MB transfer (folded send calls among folded data phases) and over a
# reset in the middle of one.  A failed recv() is drawn as a call.
. "$srcdir/lib.sh"
need_root
need_cmd python3
plan 16

head -c 50000000 /dev/urandom >"$TMP/big"

# monotonic FILE: the first line whose time (first field) is less than the
# line's before, else nothing; the ladder's timed lines start with it.
monotonic() {
	awk '$1 ~ /^[0-9]+\.[0-9]+$/ { n++; if (n > 1 && $1 + 0 < prev) {
		print "line " NR ": " prevline " -> " $0; exit }
		prev = $1 + 0; prevline = $0 } END { if (n < 10) print "only " n
		" timed lines" }' "$1"
}

# json_monotonic FILE: the same for t_ms of the call and packet events
# ("end" gives a conversation's verdict at its last packet's time).
json_monotonic() {
	grep -E '"type":"(call|packet)"' "$1" |
	    sed -n 's/.*"t_ms":\([0-9.]*\).*/\1/p' >"$TMP/tms"
	awk '{ n++; if (n > 1 && $1 + 0 < prev) { print "event " n ": " prev
		" -> " $1; exit } prev = $1 + 0 } END { if (n < 10) print "only "
		n " events" }' "$TMP/tms"
}

# sink: a discarding server; sets $port.
sink() {
	bg "$SOCKKIT" listen --mode discard 127.0.0.1 0 2>"$TMP/lerr"
	port=$(listen_port "$TMP/lerr")
}

sink
"$SOCKKIT" connect --trace --ascii --color=never 127.0.0.1 "$port" \
    <"$TMP/big" >/dev/null 2>"$TMP/ladder"
is "$?" 0 "50 MB: exit 0"
is "$(monotonic "$TMP/ladder")" "" "50 MB --trace: the time column never decreases"
like "$(cat "$TMP/ladder")" 'this host: \.\.\. [0-9,]+ more send calls' \
    "50 MB --trace: repeated send calls folded"
like "$(cat "$TMP/ladder")" 'data phase: segments folded' \
    "50 MB --trace: the data phase folded"
like "$(cat "$TMP/ladder")" '-- FIN[A-Z,]* seq=([0-9]+:)?50000001 ' \
    "50 MB --trace: drawn to the FIN after the last byte"

sink
"$SOCKKIT" connect --json 127.0.0.1 "$port" <"$TMP/big" >/dev/null \
    2>"$TMP/json"
is "$?" 0 "50 MB --json: exit 0"
is "$(json_monotonic "$TMP/json")" "" "50 MB --json: t_ms never decreases"
like "$(grep -c '"type":"call"' "$TMP/json")" '^([5-9]|[1-9][0-9]+)$' \
    "50 MB --json: the calls are there"

# A reset in the middle: the peer resets after its first line of ours.
bg $PEER rst 2>"$TMP/perr"
port=$(listen_port "$TMP/perr")
"$SOCKKIT" connect --trace --ascii --color=never 127.0.0.1 "$port" \
    <"$TMP/big" >/dev/null 2>"$TMP/rladder"
is "$?" 1 "RST mid-transfer: exit 1"
is "$(monotonic "$TMP/rladder")" "" "RST mid-transfer: the time column never decreases"
like "$(cat "$TMP/rladder")" 'RST' "RST mid-transfer: the RST drawn"
like "$(cat "$TMP/rladder")" 'this host: (send|recv)\(\) failed: ECONNRESET' \
    "RST mid-transfer: the failed call drawn"

bg $PEER rst 2>"$TMP/perr"
port=$(listen_port "$TMP/perr")
"$SOCKKIT" connect --json 127.0.0.1 "$port" <"$TMP/big" >/dev/null \
    2>"$TMP/rjson"
is "$(json_monotonic "$TMP/rjson")" "" "RST mid-transfer --json: t_ms never decreases"

# Waiting in recv() when the reset comes: the failed recv() is a call,
# drawn after the RST that made it fail.
bg $PEER rst 2>"$TMP/perr"
port=$(listen_port "$TMP/perr")
(printf 'x\n'; sleep 2) | "$SOCKKIT" connect --trace --ascii --color=never \
    127.0.0.1 "$port" >/dev/null 2>"$TMP/iladder"
is "$?" 1 "RST while reading: exit 1"
like "$(cat "$TMP/iladder")" 'this host: recv\(\) failed: ECONNRESET' \
    "RST while reading: the failed recv() drawn as a call"
is "$(grep -E '^ *[0-9]+\.[0-9]+ .*(RST|recv\(\) failed)' "$TMP/iladder" |
    sed 's/.*recv() failed.*/recv/; s/.*RST.*/RST/' | tr '\n' ' ')" \
    "RST recv " "RST while reading: the RST first, then the failed recv()"
done_testing
