#!/bin/bash
# tests/tls-hostile.sh: TLS gone wrong, through view's whole pipeline
# (decode, track, the TLS layer, the ladder), from captures that
# tests/tls-hostile.py writes: a record cut into 3-byte segments, a
# length past what was sent, garbage after the ClientHello, a 16 KiB
# ClientHello over two records, a record longer than TLS allows, a lost
# segment, a segment cut by the snap length.  Each is said once, on the
# right arrow, and the rest is drawn.
. "$srcdir/lib.sh"
need_cmd python3
export TZ=UTC LC_ALL=C
python3 "$srcdir/tls-hostile.py" "$TMP" || skip_all "tests/tls-hostile.py failed"

# frames PCAP: "LAST-DATA-FRAME CLIENTHELLO-FRAMES" from view --json.
frames() {
	"$SOCKKIT" view --json "$1" | python3 -c '
import json, sys
last, hello = 0, []
for line in sys.stdin:
    ev = json.loads(line)
    if ev["type"] == "packet" and ev["len"] > 0:
        last = ev["frame"]
    if ev["type"] == "tls" and ev.get("hs_type") == 1:
        hello.append(str(ev["frame"]))
print(last, ",".join(hello))'
}

out=$("$SOCKKIT" view "$TMP/split.pcap")
is "$?" 0 "split: exit 0"
is "$(grep -c 'TLS ClientHello SNI=split.example' <<<"$out")" 1 \
    "split: one ClientHello from 3-byte segments"
set -- $(frames "$TMP/split.pcap")
is "$2" "$1" "split: on the arrow of the segment that completed it (frame $1)"

out=$("$SOCKKIT" view "$TMP/big.pcap")
like "$out" 'TLS ClientHello SNI=big\.example versions=TLS1\.3' \
    "big: a 16 KiB ClientHello over two records is read"
like "$out" 'TLS Handshake 16384 bytes' "big: its first record named alone"
set -- $(frames "$TMP/big.pcap")
is "$2" "$1" "big: on the arrow of its last segment (frame $1)"

out=$("$SOCKKIT" view "$TMP/past.pcap")
like "$out" 'TLS Handshake cut short: 195 of 16000 bytes \[truncated\]' \
    "past: a length past what was sent: cut short, said at the end"
like "$out" 'verdict: TLS, no ClientHello seen; closed by A' "past: the verdict says so"

out=$("$SOCKKIT" view "$TMP/garbage.pcap")
like "$out" "TLS cannot follow: not a TLS record: 'GET /' \\[invalid\\]" \
    "garbage: bytes after the ClientHello that are not TLS: said"
is "$(grep -c 'cannot follow' <<<"$out")" 1 "garbage: said once"
like "$out" 'TLS ClientHello SNI=garbage\.example' "garbage: the ClientHello before it still drawn"

out=$("$SOCKKIT" view "$TMP/oversize.pcap")
like "$out" 'TLS cannot follow: record longer than 2\^14\+2048 bytes' \
    "oversize: a record past 2^14+2048 bytes: refused"

out=$("$SOCKKIT" view "$TMP/gap.pcap")
like "$out" 'TLS cannot follow: 40 bytes missing \(a gap, or out of order\)' \
    "gap: a lost segment stops the direction, said"
is "$(grep -c 'cannot follow' <<<"$out")" 1 "gap: said once"

out=$("$SOCKKIT" view "$TMP/snap.pcap")
like "$out" "TLS cannot follow: the capture kept 100 of the segment's 156 bytes" \
    "snap: a segment the snap length cut: said"
is "$(grep -c 'TLS ' <<<"$out")" 1 "snap: said once, nothing more of that direction"

for f in split big past garbage oversize gap snap; do
	"$SOCKKIT" view --json "$TMP/$f.pcap" | python3 -c '
import json, sys
for line in sys.stdin:
    json.loads(line)' && "$SOCKKIT" view --svg "$TMP/$f.svg" "$TMP/$f.pcap" >/dev/null
	ok $? "$f: --json is JSON, --svg is written"
done
done_testing
