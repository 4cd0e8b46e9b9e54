#!/bin/bash
# tests/tcp-model.sh: the reference model (tests/tcp-model.py, written
# from RFC 9293 apart from the tracker) walks the JSON ladder of every
# golden pcap: every drawn transition allowed, no state without evidence.
# It must also refuse the picture the tracker used to draw (B CLOSE_WAIT
# at A's FIN, before B acknowledged it), and, state for state, a picture
# whose every move is allowed and evidenced but not the one the evidence
# shows (FINs that arrived apart drawn as crossing through CLOSING).
. "$srcdir/lib.sh"
need_cmd python3

dir="$srcdir/golden"
mapfile -t pcaps < <(golden_pcaps)
plan $((${#pcaps[@]} + 2))
for pcap in "${pcaps[@]}"; do
	"$SOCKKIT" view --json --data-preview 0 "$dir/$pcap" 2>/dev/null |
	    python3 "$srcdir/tcp-model.py" >"$TMP/why"
	ok $? "$pcap"
	sed 's/^/# /' "$TMP/why" | head -5
done
"$SOCKKIT" view --json "$dir/simultaneous-close.pcap" | python3 -c '
import json, sys
for line in sys.stdin:
    ev = json.loads(line)
    if ev.get("frame") == 6:        # A FIN: B drawn CLOSE_WAIT, unproven
        ev["state_b"] = "CLOSE_WAIT"
        ev["path_b"] = ["ESTABLISHED", "CLOSE_WAIT"]
    print(json.dumps(ev))' | python3 "$srcdir/tcp-model.py" >"$TMP/why"
[ $? = 1 ] && grep -q "B CLOSE_WAIT: it has not acknowledged" "$TMP/why"
ok $? "the model refuses CLOSE_WAIT drawn before the FIN is acknowledged"
"$SOCKKIT" view --json "$dir/fins-apart.pcap" | python3 -c '
import json, sys
for line in sys.stdin:
    ev = json.loads(line)
    if ev.get("frame") == 13:       # A acknowledges the FIN of B
        ev["path_a"] = ["FIN_WAIT_1", "CLOSING", "TIME_WAIT"]
    print(json.dumps(ev))' | python3 "$srcdir/tcp-model.py" >"$TMP/why"
[ $? = 1 ] && grep -q "conv 1 A: drawn .*CLOSING -> TIME_WAIT, the model .*FIN_WAIT_2 -> TIME_WAIT" "$TMP/why"
ok $? "state for state: FINs that arrived apart are not drawn through CLOSING"
done_testing
