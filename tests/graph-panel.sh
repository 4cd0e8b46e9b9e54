#!/bin/bash
# tests/graph-panel.sh: the --graph picture of sockkit's own connections
# has a second panel, cwnd, ssthresh, srtt and rto from TCP_INFO on the
# same time axis, and its points are the samples taken: demo loss (each
# TCP_INFO line the ladder prints is a point of the panel, at its time)
# and connect --graph sending to listen --graph.  view --graph, which
# has no socket to ask, draws none.
. "$srcdir/lib.sh"
need_root
need_cmd python3

# checks SVG [LADDER WHO]: graph-panel.py's lines as TAP.
checks() {
	python3 "$srcdir/graph-panel.py" "$@" >"$TMP/checks" 2>&1
	[ -s "$TMP/checks" ] || echo "not ok graph-panel.py said nothing" \
	    >"$TMP/checks"
	while read -r verdict rest; do
		case $verdict in
		ok) ok 0 "$rest" ;;
		*) ok 1 "${rest#ok }"; sed 's/^/#   /' "$TMP/checks" ;;
		esac
	done <"$TMP/checks"
}

if [ -x /usr/sbin/nft ] || [ -x /sbin/nft ]; then
	"$SOCKKIT" demo --ascii --color=never --graph "$TMP/loss.svg" loss \
	    >"$TMP/loss.txt" 2>&1 </dev/null
	is $? 0 "demo --graph loss exits 0"
	checks "$TMP/loss.svg" "$TMP/loss.txt" client
else
	skip_n 8 "demo loss needs nft"
fi

bg "$SOCKKIT" listen --graph "$TMP/srv.svg" 127.0.0.1 0 >/dev/null \
    2>"$TMP/srv.err"
spid=$!
port=$(listen_port "$TMP/srv.err")
head -c 300000 /dev/zero | timeout 20 "$SOCKKIT" connect --graph \
    "$TMP/cli.svg" 127.0.0.1 "${port:-9}" >/dev/null 2>"$TMP/cli.err"
is $? 0 "connect --graph exits 0"
wait_pid "$spid" 10
checks "$TMP/cli.svg"
grep -q 'class="tcpinfo"' "$TMP/srv.svg"
ok $((!$?)) "listen --graph, the receiver, has no sender's TCP_INFO to draw"

"$SOCKKIT" view --graph "$TMP/view.svg" "$srcdir/golden/retransmission.pcap" \
    >/dev/null 2>&1
grep -q 'class="tcpinfo"' "$TMP/view.svg"
ok $((!$?)) "view --graph draws no panel"
done_testing
