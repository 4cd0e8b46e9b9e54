#!/bin/bash
# tests/svg-live.sh: pictures of live captures.  connect --trace --svg
# against a local echo server draws exactly the packets it saved with
# --write; so do listen and raw tcp; demo, udp, raw icmp and probe
# --svg write valid pictures too.
. "$srcdir/lib.sh"
need_root
need_cmd xmllint python3
plan 25
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

out=$("$SOCKKIT" connect --svg /nonexistent/x.svg 127.0.0.1 "$port" 2>&1)
like "$out" '^sockkit: connect: --svg /nonexistent/x.svg: No such file' \
    "unwritable --svg: said before connecting"
done_testing
