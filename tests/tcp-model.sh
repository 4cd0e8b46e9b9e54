#!/bin/bash
# tests/tcp-model.sh: the reference model (tests/tcp-model.py, written
# from RFC 9293 apart from the tracker) walks the JSON ladder of every
# golden pcap: every drawn transition allowed, no state without evidence.
# It must also refuse the picture the tracker used to draw (B CLOSE_WAIT
# at A's FIN, before B acknowledged it), and, state for state, a picture
# whose every move is allowed and evidenced but not the one the evidence
# shows (FINs that arrived apart drawn as crossing through CLOSING).
# A shutdown() call is evidence of FIN_WAIT_1 before the FIN leaves (a
# segment may be sent in between, live); a capture without the call is
# not.
. "$srcdir/lib.sh"
need_cmd python3

dir="$srcdir/golden"
mapfile -t pcaps < <(golden_pcaps)
plan $((${#pcaps[@]} + 4))
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
# shutdown_early CALL: fins-apart's ladder with A drawn FIN_WAIT_1 on
# B's ACK before A's FIN, after a call line CALL (none when empty).
shutdown_early() {
	"$SOCKKIT" view --json "$dir/fins-apart.pcap" | CALL=$1 python3 -c '
import json, os, sys
for line in sys.stdin:
    ev = json.loads(line)
    if ev.get("frame") == 5:
        if os.environ["CALL"]:
            print(json.dumps({"type": "call", "call": os.environ["CALL"]}))
        ev["state_a"] = "FIN_WAIT_1"
    if ev.get("frame") == 6:        # the FIN: A is drawn FIN_WAIT_1 already
        ev.pop("path_a", None)
    print(json.dumps(ev))' | python3 "$srcdir/tcp-model.py" >"$TMP/why"
}
shutdown_early "shutdown(SHUT_WR); A: ESTABLISHED -> FIN_WAIT_1"
ok $? "FIN_WAIT_1 after the shutdown() call, before the FIN left"
sed 's/^/# /' "$TMP/why" | head -5
shutdown_early ""
[ $? = 1 ] && grep -q "A FIN_WAIT_1: it sent no FIN, and no call" "$TMP/why"
ok $? "FIN_WAIT_1 with neither a FIN nor a call is refused"
done_testing
