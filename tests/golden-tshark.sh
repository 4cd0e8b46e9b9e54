#!/bin/bash
# tests/golden-tshark.sh: every TCP segment sockkit draws from a golden
# pcap matches tshark's reading of it, packet for packet: direction,
# flags, relative seq and ack, payload length, window (unscaled where
# the scale is unknown); and every TCP frame tshark
# decodes is drawn (none lost, none invented).
. "$srcdir/lib.sh"
need_cmd tshark
need_cmd python3

dir="$srcdir/golden"
mapfile -t pcaps < <(golden_pcaps)
plan ${#pcaps[@]}
for pcap in "${pcaps[@]}"; do
	"$SOCKKIT" view --json --data-preview 0 "$dir/$pcap" >"$TMP/json" 2>/dev/null
	# Relative numbers as sockkit counts them: from the ISN, or from one
	# before the first sequence number seen (tshark's default too).
	timeout 60 tshark -n -r "$dir/$pcap" -Y tcp -T fields -E separator=' ' \
	    -o tcp.relative_sequence_numbers:TRUE -o tcp.analyze_sequence_numbers:TRUE \
	    -e frame.number -e tcp.srcport -e tcp.dstport -e tcp.flags \
	    -e tcp.seq -e tcp.ack -e tcp.len -e tcp.window_size >"$TMP/tshark" 2>/dev/null
	why=$(python3 "$srcdir/golden-tshark.py" "$TMP/json" "$TMP/tshark")
	ok $? "$pcap${why:+: $why}"
done
done_testing
