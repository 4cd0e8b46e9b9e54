#!/bin/bash
# tests/graph-panel.sh: the --graph picture of sockkit's own connections
# has a second panel, cwnd, ssthresh, srtt and rto from TCP_INFO on the
# same time axis, and its points are the samples taken: demo loss (each
# TCP_INFO line the ladder prints is a point of the panel, at its time)
# and connect --graph sending to listen --graph.  view --graph, which
# has no socket to ask, draws none.  The --html page carries the graph
# under the diagram, zoomable, panel and all.
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
	"$SOCKKIT" demo --ascii --color=never --html "$TMP/loss.html" loss \
	    >/dev/null 2>&1 </dev/null
	is $? 0 "demo --html loss exits 0"
	xmllint --noout "$TMP/loss.html"
	ok $? "the page is well-formed"
	awk '/class="conv"/ && !c { c = NR } /<svg [^>]*class="tsg"/ { g = NR }
	    /id="transcript"/ { t = NR }
	    END { exit !(c && g && t && c < g && g < t) }' "$TMP/loss.html"
	ok $? "it carries the graph under the diagram, before the transcript"
	grep -q 'id="zoom4"' "$TMP/loss.html"
	ok $? "with its zoom"
	sed -n '/<svg [^>]*class="tsg"/,/<\/svg>/p' "$TMP/loss.html" \
	    >"$TMP/page-graph.svg"
	checks "$TMP/page-graph.svg"
else
	skip_n 18 "demo loss needs nft"
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
"$SOCKKIT" view --html "$TMP/view.html" "$srcdir/golden/retransmission.pcap" \
    >/dev/null 2>&1
is "$(grep -c '<svg [^>]*class="tsg"' "$TMP/view.html")" 1 \
    "view --html carries the graph of a TCP conversation with data"
"$SOCKKIT" view --html "$TMP/udp.html" "$srcdir/golden/udp-icmp.pcap" \
    >/dev/null 2>&1
is "$(grep -c 'class="tsg"' "$TMP/udp.html")" 0 "but no graph without one"
done_testing
