#!/bin/bash
# tests/graph.sh: view --graph against tshark over the golden pcaps.  For
# each, the graph's direction (data-from -> data-to) has as many data
# bars as tshark counts segments with payload that way, and its ACK line
# ends at tshark's last ACK of the other way; every graph is well-formed
# XML; so do connect --graph and listen --graph live.  Then the errors and stdout, and a browser draws one (headless
# Chromium; rsvg-convert too when installed).  A capture with packets
# sockkit cannot decode (broken.pcap) may have fewer bars than tshark
# counts, never more.
. "$srcdir/lib.sh"
need_cmd tshark xmllint python3
dir="$srcdir/golden"
mapfile -t pcaps < <(golden_pcaps)
plan $((${#pcaps[@]} * 3 + 13))

# tshark_filter FROM TO: the display filter of the segments FROM -> TO
# ("10.0.0.1:40000", "[::1]:80").
tshark_filter() {
	local fh=${1%:*} fp=${1##*:} th=${2%:*} tp=${2##*:} ip=ip
	fh=${fh#[}; fh=${fh%]}; th=${th#[}; th=${th%]}
	case $fh in *:*) ip=ipv6 ;; esac
	echo "$ip.src==$fh && tcp.srcport==$fp && $ip.dst==$th && tcp.dstport==$tp"
}

# attr NAME FILE: the root element's attribute NAME.
attr() { grep -o "<svg [^>]*" "$2" | grep -o " $1=\"[^\"]*\"" | cut -d'"' -f2; }

# check NAME SVG PCAP RC: SVG, the graph of PCAP by a view that exited
# RC, has a bar per data segment tshark counts in its direction and its
# ACK line ends at tshark's last ACK (three tests, or an empty graph that
# tshark agrees has no TCP data).
check() {
	local name=$1 g=$2 pcap=$3 rc=$4 from to f r want got
	xmllint --noout "$g"
	ok $? "$name: the graph is well-formed"
	from=$(attr data-from "$g") to=$(attr data-to "$g")
	if [ "$(attr data-conv "$g")" = 0 ]; then
		want=$(timeout 60 tshark -n -r "$pcap" -Y 'tcp.len > 0' \
		    2>/dev/null | wc -l)
		is "$want" 0 "$name: no graph, and tshark sees no TCP data"
		grep -q 'no TCP conversation carried data' "$g"
		ok $? "$name: the empty graph says why"
		return
	fi
	f=$(tshark_filter "$from" "$to")
	r=$(tshark_filter "$to" "$from")
	want=$(timeout 60 tshark -n -r "$pcap" -Y "tcp.len > 0 && $f" \
	    2>/dev/null | wc -l)
	got=$(grep -o 'class="data[" ]' "$g" | wc -l)
	if [ "$rc" = 3 ]; then
		ok $([ "$got" -le "$want" ]; echo $?) "$name: $from -> $to: a bar per data segment decoded ($got, tshark $want with the invalid ones)"
	else
		is "$got" "$want" "$name: $from -> $to: a bar per data segment"
	fi
	want=$(timeout 60 tshark -n -r "$pcap" -T fields -e tcp.ack \
	    -o tcp.relative_sequence_numbers:TRUE \
	    -Y "tcp.flags.ack == 1 && $r" 2>/dev/null | tail -n 1)
	got=$(grep -o '<path class="ack" data-last="[0-9-]*"' "$g" |
	    grep -o '[0-9-]*"$' | tr -d '"')
	is "$got" "${want:-}" "$name: the ACK line ends at tshark's last ACK"
}

for pcap in "${pcaps[@]}"; do
	# the TESTLIST may name pcaps beside golden/ (../tls/x.pcap)
	g=$(basename "$pcap" .pcap) g="$TMP/$g.svg"
	"$SOCKKIT" view --graph "$g" "$dir/$pcap" >/dev/null 2>"$TMP/err"
	# 3: some packets could not be decoded (tshark may read them)
	check "$pcap" "$g" "$dir/$pcap" $?
done

# Live: connect --graph against listen --graph, 200000 bytes; checked
# against connect's own --write.
if [ "$(id -u)" = 0 ]; then
	bg "$SOCKKIT" listen --graph "$TMP/srv.svg" 127.0.0.1 0 \
	    >/dev/null 2>"$TMP/srv.err"
	spid=$!
	port=$(listen_port "$TMP/srv.err")
	head -c 200000 /dev/zero | timeout 20 "$SOCKKIT" connect \
	    --graph "$TMP/live.svg" --write "$TMP/live.pcap" 127.0.0.1 \
	    "${port:-9}" >/dev/null 2>"$TMP/live.err"
	check "connect --graph" "$TMP/live.svg" "$TMP/live.pcap" $?
	wait_pid "$spid" 10
	is "$(grep -o 'class="data[" ]' "$TMP/srv.svg" | wc -l)" \
	    "$(grep -o 'class="data[" ]' "$TMP/live.svg" | wc -l)" \
	    "listen --graph draws the same segments"
else
	skip_n 4 "live captures need root"
fi

# The options around it.
"$SOCKKIT" view --graph - "$dir/retransmission.pcap" >"$TMP/out" 2>"$TMP/err"
ok $? "--graph - writes to stdout"
head -n 2 "$TMP/out" | grep -q '^<svg' && ! grep -q 'SYN' "$TMP/out"
ok $? "and the ladder stays off stdout"
"$SOCKKIT" view --graph "$TMP/no/such/g.svg" "$dir/retransmission.pcap" \
    >/dev/null 2>"$TMP/err"
is $? 1 "an unwritable --graph path fails"
like "$(cat "$TMP/err")" "^sockkit: view: --graph $TMP/no/such/g.svg: No such file" \
    "and says which"
"$SOCKKIT" view --conv 3 --graph "$TMP/c3.svg" "$dir/ipv6.pcap" \
    >/dev/null 2>"$TMP/err"
like "$(cat "$TMP/err")" "graph.*conversation 3 is not a TCP conversation|the file has" \
    "--conv N that is no TCP conversation is said"
"$SOCKKIT" view --graph "$TMP/u.svg" "$dir/lone-udp.pcap" >/dev/null 2>"$TMP/err"
like "$(cat "$TMP/err")" "--graph $TMP/u.svg: no TCP conversation carried data" \
    "a capture without TCP data: stderr says the graph is empty"

# A browser draws it: not blank, more than two colours.
g="$TMP/retransmission.svg"
if command -v chromium >/dev/null; then
	# A second try when a loaded machine makes the first one fail.
	for try in 1 2; do
		timeout 120 chromium --headless --no-sandbox --disable-gpu \
		    --user-data-dir="$TMP/profile$try" --hide-scrollbars \
		    --screenshot="$TMP/g.png" --window-size=1000,660 \
		    "file://$g" >"$TMP/chromium.log" 2>&1
		[ -s "$TMP/g.png" ] && break
	done
	set -- $(python3 "$srcdir/svg-helper.py" png "$TMP/g.png" 2>&1)
	is "$1x$2" 1000x660 "chromium draws the graph at its size"
	ok $([ "${3:-0}" -ge 3 ] && [ "${4:-0}" -ge 2000 ]; echo $?) \
	    "in colour, not blank ($3 colours, $4 dark pixels)"
else
	skip "chromium not installed"
	skip "chromium not installed"
fi
if command -v rsvg-convert >/dev/null; then
	rsvg-convert -o "$TMP/r.png" "$g" && [ -s "$TMP/r.png" ]
	ok $? "rsvg-convert converts it"
else
	skip "rsvg-convert not installed"
fi
done_testing
