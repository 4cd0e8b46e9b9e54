#!/bin/bash
# tests/ladder-count.sh: every packet of every TCP golden pcap is drawn
# exactly once: on its own line, or counted in one fold of the data phase
# (issue 15: "some segments belong to no fold").  The sum is checked
# against the verdicts' packet counts, with and without --full.
. "${srcdir:-tests}/lib.sh"
need_cmd python3

for f in "$srcdir"/golden/*.pcap; do
	for full in "" --full; do
		"$SOCKKIT" view --color=never --ascii $full "$f" >"$TMP/out" 2>/dev/null
		got=$(python3 -c '
import re, sys
out = open(sys.argv[1]).read()
if re.search(r"^conversation \d+: (UDP|ICMP)", out, flags=re.M):
    print("not TCP"); sys.exit()
want = sum(int(x) for x in re.findall(r"verdict: .*?; (\d+) packets", out))
folded = sum(int(x) for x in re.findall(r"[<-] [AB]->[AB] (\d+) segments", out))
single = len(re.findall(r"^\s*[0-9.]+\s+(?:[A-Z_0-9]+\s+)?(?:--|<--) ", out, flags=re.M))
print("drawn once" if folded + single == want else
      "%d packets, %d drawn alone, %d in folds" % (want, single, folded))
' "$TMP/out")
		[ "$got" = "not TCP" ] ||
		    is "$got" "drawn once" "${f##*/}${full:+ $full}: every packet drawn once"
	done
done
done_testing
