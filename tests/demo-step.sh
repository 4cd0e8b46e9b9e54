#!/bin/bash
# tests/demo-step.sh: "sockkit demo --step" replays the scenario one
# packet or call at a time, each Enter on stdin (a pipe here) showing the
# next, with both ends' states after each step; it stops at "q" and at
# the end of its input; "--speed X" replays without waiting for Enter.
# view --step does the same over a capture file, its ladder unchanged.
. "$srcdir/lib.sh"

# steps FILE: the numbers of its step lines, one a line.
steps() { sed -n 's/^-- step \([0-9]*\) .*/\1/p' "$1"; }
# timed FILE: how many lines carry a time (packets and calls).
timed() { grep -cE '^ *[0-9]+\.[0-9]{3}  ' "$1"; }

plan 18

# view --step: the same ladder as view prints, step lines between.
pcap=$srcdir/golden/close-client.pcap
"$SOCKKIT" view --ascii "$pcap" >"$TMP/plain"
yes '' | head -n 1000 | "$SOCKKIT" view --ascii --step "$pcap" >"$TMP/vstep"
is $? 0 "view --step: exit 0"
grep -v '^-- step' "$TMP/vstep" >"$TMP/vlines"
cmp -s "$TMP/plain" "$TMP/vlines"
ok $? "view --step: the ladder is view's, in its order"
is "$(steps "$TMP/vstep" | tail -n 1)" "$(timed "$TMP/plain")" \
    "view --step: one step per packet"
printf '\n\n' | "$SOCKKIT" view --ascii --step "$pcap" >"$TMP/vtwo"
is "$(timed "$TMP/vtwo")" 3 \
    "view --step: two Enters, then the end of input: three packets"
like "$(tail -n 1 "$TMP/vtwo")" "^-- stopped --$" "and it stops there"

[ "$(id -u)" = 0 ] || { skip_n 13 "demo needs root"; done_testing; exit; }

# Three Enters, the input kept open: the replay shows four steps and
# waits at the fourth.
mkfifo "$TMP/ctl"
exec 3<>"$TMP/ctl"
bg "$SOCKKIT" demo --ascii --color=never --step handshake \
    <"$TMP/ctl" >"$TMP/out" 2>&1
pid=$!
printf '\n\n\n' >&3
wait_for_line "$TMP/out" '^-- step 4 ' 20
ok $? "after three Enters it waits at step 4"
is "$(timed "$TMP/out")" 4 "four packets or calls shown, no more"
is "$(steps "$TMP/out" | paste -sd' ')" "1 2 3 4" "steps 1 to 4 in order"
# 1: listen(), 2: connect(), 3: the SYN.
like "$(grep '^-- step 3 ' "$TMP/out")" \
    "^-- step 3  A: SYN_SENT  B: \?  \(Enter: next, q: quit\) --" \
    "a step says both ends' states (the client's SYN: A in SYN_SENT)"
printf 'q\n' >&3
wait_pid "$pid" 10
is $? 0 "q stops it: exit 0"
like "$(tail -n 1 "$TMP/out")" "^-- stopped --$" "and it says so"
exec 3>&-

# Enter for every step: the whole ladder, one step a line.
yes '' | head -n 1000 | "$SOCKKIT" demo --ascii --color=never --step \
    handshake >"$TMP/all" 2>&1
is $? 0 "stepped to the end: exit 0"
n=$(timed "$TMP/all")
is "$(steps "$TMP/all" | tail -n 1)" "$n" "one step per packet or call ($n)"
like "$(tail -n 1 "$TMP/all")" \
    "^-- step $n  A: TIME_WAIT  B: CLOSED: the end --$" \
    "the last step: the client in TIME_WAIT, the server CLOSED"
awk '/^-- step/ { if (!prev) bad = 1 }
    { prev = $0 ~ /^ *[0-9]+\.[0-9][0-9][0-9]  / ||
    (prev && $0 !~ /^-- step/) } END { exit bad }' "$TMP/all"
ok $? "each step line follows the packet or call it closes"
like "$(cat "$TMP/all")" "verdict: closed by A" "the verdict is replayed too"

# --speed: no Enter needed.
"$SOCKKIT" demo --ascii --color=never --speed 100 refused </dev/null \
    >"$TMP/speed" 2>&1
is $? 0 "--speed 100 refused: exit 0"
like "$(tail -n 1 "$TMP/speed")" \
    "^-- step [0-9]+  A: CLOSED  B: \?: the end --$" \
    "--speed replays to the end without Enter"
done_testing
