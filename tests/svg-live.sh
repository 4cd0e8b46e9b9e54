#!/bin/bash
# tests/svg-live.sh: pictures of live captures.  connect --trace --svg
# against a local echo server draws exactly the packets it saved with
# --write; so do listen and raw tcp; demo, udp, raw icmp and probe
# --svg write valid pictures too; listen -k --svg --html stays within a
# memory bound however many clients come and go.
. "$srcdir/lib.sh"
need_root
need_cmd xmllint python3
plan 28
H="python3 $srcdir/svg-helper.py"

bg "$SOCKKIT" listen -k --mode echo 127.0.0.1 0 2>"$TMP/srv.err"
port=$(listen_port "$TMP/srv.err")
out=$(echo ping | "$SOCKKIT" connect --trace --svg "$TMP/c.svg" \
    --html "$TMP/c.html" --write "$TMP/c.pcap" 127.0.0.1 "$port" \
    2>"$TMP/c.err"); rc=$?
is "$rc" 0 "connect --trace --svg: exit 0"
is "$out" ping "connect --trace --svg: the echo came back"
like "$(cat "$TMP/c.err")" 'verdict: ' "--trace still draws the ladder"
xmllint --noout "$TMP/c.svg" "$TMP/c.html"
ok $? "connect: the SVG and the HTML are well-formed"
"$SOCKKIT" view --json "$TMP/c.pcap" >"$TMP/c.json"
like "$($H arrows "$TMP/c.svg" "$TMP/c.json")" '^same [0-9]+$' \
    "connect: one arrow per packet saved, in its direction"
grep -q '(this host)' "$TMP/c.svg"
ok $? "connect: this host's lane is marked"
grep -q 'this host: connect()' "$TMP/c.svg"
ok $? "connect: the socket calls are in the margin"

# Without --trace the picture alone: nothing drawn on stderr.
out=$(echo ping | "$SOCKKIT" connect --svg "$TMP/q.svg" 127.0.0.1 "$port" \
    2>&1 >/dev/null)
is "$out" "" "connect --svg alone: nothing on stderr"
xmllint --noout "$TMP/q.svg" && grep -q 'class="pkt' "$TMP/q.svg"
ok $? "connect --svg alone: a picture with arrows"

"$SOCKKIT" demo --svg "$TMP/d.svg" >"$TMP/d.out" 2>&1
is $? 0 "demo --svg: exit 0"
xmllint --noout "$TMP/d.svg"
ok $? "demo --svg: well-formed"
ok $([ "$(grep -c 'class="pkt' "$TMP/d.svg")" -ge 10 ]; echo $?) \
    "demo --svg: the handshake, the data and the close drawn"
"$SOCKKIT" demo --svg "$TMP/r.svg" refused >/dev/null 2>&1
grep -q 'class="pkt b2a[^"]*rst' "$TMP/r.svg"
ok $? "demo refused --svg: the RST comes back, marked as one"

"$SOCKKIT" udp --svg "$TMP/u.svg" -w 1 127.0.0.1 "$(free_port)" \
    >/dev/null 2>&1 <<<"x"
xmllint --noout "$TMP/u.svg"
ok $? "udp --svg: well-formed"
grep -q 'class="pkt b2a icmp' "$TMP/u.svg"
ok $? "udp --svg: the ICMP port unreachable drawn as an ICMP arrow"

# The other commands that capture: listen, raw tcp and icmp, probe.
bg "$SOCKKIT" listen --svg "$TMP/l.svg" --write "$TMP/l.pcap" 127.0.0.1 0 \
    >/dev/null 2>"$TMP/l.err"
lpid=$!
lport=$(listen_port "$TMP/l.err")
echo hi | "$SOCKKIT" connect 127.0.0.1 "$lport" >/dev/null 2>&1
wait_pid "$lpid" 10
"$SOCKKIT" view --json "$TMP/l.pcap" >"$TMP/l.json"
like "$($H arrows "$TMP/l.svg" "$TMP/l.json")" '^same [0-9]+$' \
    "listen --svg: one arrow per packet saved, in its direction"
"$SOCKKIT" raw tcp --svg "$TMP/rt.svg" --html "$TMP/rt.html" \
    --write "$TMP/rt.pcap" 127.0.0.1 "$port" >/dev/null 2>&1
is $? 0 "raw tcp --svg --html: exit 0 (an open port)"
"$SOCKKIT" view --json "$TMP/rt.pcap" >"$TMP/rt.json"
like "$($H arrows "$TMP/rt.svg" "$TMP/rt.json")" '^same 3$' \
    "raw tcp --svg: SYN, SYN,ACK and the kernel's RST, in their directions"
xmllint --noout "$TMP/rt.html" && grep -q 'crafted by sockkit' "$TMP/rt.html"
ok $? "raw tcp --html: well-formed, the crafted SYN noted"
"$SOCKKIT" raw icmp -c 2 -i 0.2 --svg "$TMP/ri.svg" 127.0.0.1 >/dev/null 2>&1
is "$(grep -c 'class="pkt [ab]2[ab] icmp' "$TMP/ri.svg")" 4 \
    "raw icmp --svg: two requests, two replies"
"$SOCKKIT" probe --svg "$TMP/p.svg" --html "$TMP/p.html" \
    -p "$port,$(free_port)" 127.0.0.1 >"$TMP/p.out" 2>&1
is $? 0 "probe --svg --html: exit 0"
like "$(cat "$TMP/p.out")" "^$port/tcp +open" "probe --svg: the table as before"
ok "$(grep -q '^evidence' "$TMP/p.out"; echo $((! $?)))" \
    "probe --svg without --trace: no ladder on stdout"
xmllint --noout "$TMP/p.svg" "$TMP/p.html" &&
    grep -q "127.0.0.1:$port<" "$TMP/p.svg" && ! grep -q 'RST,ACK seq=1 ack=1 win=0<' "$TMP/p.svg"
ok $? "probe --svg: the open port drawn, the closed port not"

# Many short clients (issue 16): a first round of 3000 spends the budget
# (1000 conversations, 20000 packets), four rounds of 1500 more must not
# raise the peak by more than 8 MiB (measured: under 2 MiB).
# Before the budget each client kept about 25 KiB (12 -> 540 MB in 20 s).
# ASan's quarantine of freed memory is not sockkit's: kept small.
hwm() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB$/\1/p' "/proc/$1/status"; }
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=1" \
    bg "$SOCKKIT" listen -k --mode discard --svg "$TMP/k.svg" \
    --html "$TMP/k.html" 127.0.0.1 0 2>"$TMP/k.err"
kpid=$!
kport=$(listen_port "$TMP/k.err")
$H clients "$kport" 3000
first=$(hwm "$kpid")
for _ in 1 2 3 4; do $H clients "$kport" 1500; done
last=$(hwm "$kpid")
ok "$([ "$last" -le $((first + 8192)) ]; echo $?)" \
    "listen -k --svg --html, 9000 clients: peak $last KiB, at most 8 MiB over $first KiB after the first 3000"
kill -INT "$kpid"
wait_pid "$kpid" 10
xmllint --huge --noout "$TMP/k.svg" "$TMP/k.html" &&
    [ "$(grep -c 'class="conv"' "$TMP/k.svg")" = 1000 ]
ok $? "listen -k: the pictures are whole, the first 1000 conversations drawn"
like "$(grep -- '--svg' "$TMP/k.err")" \
    "^sockkit: --svg $TMP/k.svg: [0-9]+ conversations and [0-9]+ packets( and [0-9]+ socket calls)? not drawn: the picture's budget is 1000 conversations" \
    "listen -k: stderr says what the picture left out"

out=$("$SOCKKIT" connect --svg /nonexistent/x.svg 127.0.0.1 "$port" 2>&1)
like "$out" '^sockkit: connect: --svg /nonexistent/x.svg: No such file' \
    "unwritable --svg: said before connecting"
done_testing
