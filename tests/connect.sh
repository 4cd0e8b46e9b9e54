#!/bin/bash
# tests/connect.sh: sockkit connect against known peers: half-close, -q,
# --no-shutdown, -z, -v, -C, -x, -s/-p, IPv6, -w, stdout that is a file
# opened for appending, stdout closed early.
. "$srcdir/lib.sh"
need_cmd python3 socat

# Half-close: a server that answers only after EOF gets its answer.
serve eof $PEER eofreply
got=$(printf x | timeout 10 "$SOCKKIT" connect 127.0.0.1 "$port")
rc=$?
is "$rc" 0 "half-close: exit 0"
is "$got" "got 1 bytes" "half-close: the answer sent after EOF arrives"

head -c 1048576 /dev/urandom >"$TMP/1m"
serve eof $PEER eofreply
got=$(timeout 10 "$SOCKKIT" connect 127.0.0.1 "$port" <"$TMP/1m")
is "$got" "got 1048576 bytes" "half-close: 1 MiB from a file, then the answer"

# The same through socat, with a program that reads all, then writes.
bg socat -d -d -t 5 TCP-LISTEN:0,bind=127.0.0.1 SYSTEM:'wc -c' 2>"$TMP/socat.err"
port=$(socat_port "$TMP/socat.err")
got=$(printf 'hello' | timeout 10 "$SOCKKIT" connect 127.0.0.1 "$port")
is "$(echo $got)" "5" "half-close: socat SYSTEM:'wc -c' answers after EOF"

# --no-shutdown: the server never sees EOF, so it can never answer;
# -q 0.5 ends the client.
serve eof $PEER eofreply
got=$(printf x | timeout 10 "$SOCKKIT" connect --no-shutdown -q 0.5 127.0.0.1 "$port")
rc=$?
is "$rc" 0 "--no-shutdown -q: exit 0"
is "$got" "" "--no-shutdown: no FIN, so no answer"

# -q: quit after EOF on stdin even though the peer stays.
serve hold $PEER hold
printf x | "$SOCKKIT" connect -q 0.3 127.0.0.1 "$port" >/dev/null 2>"$TMP/q.err" &
wait_pid $! 10
is "$?" 0 "-q 0.3 quits after stdin EOF while the peer stays"

# -w: idle timeout after connecting.
serve hold $PEER hold
"$SOCKKIT" connect -w 0.5 127.0.0.1 "$port" </dev/null >/dev/null 2>"$TMP/w.err" &
wait_pid $! 10
is "$?" 1 "-w 0.5 against a silent peer: exit 1"
like "$(cat "$TMP/w.err")" "^sockkit: 127\.0\.0\.1 port $port: timed out: idle for 0\.5 s \(-w\)$" \
    "-w: says timed out, naming the peer"

# -z and -v.
serve disc "$SOCKKIT" listen -k --mode discard 127.0.0.1 0
disc_port=$port
"$SOCKKIT" connect -z 127.0.0.1 "$disc_port" >"$TMP/z.out" 2>"$TMP/z.err"
is "$?" 0 "-z on an open port: exit 0"
is "$(cat "$TMP/z.out" "$TMP/z.err")" "" "-z without -v: silent"
"$SOCKKIT" connect -z -v 127.0.0.1 "$disc_port" 2>"$TMP/z.err"
is "$?" 0 "-z -v on an open port: exit 0"
like "$(cat "$TMP/z.err")" "^sockkit: Connection to 127\.0\.0\.1 $disc_port succeeded$" \
    "-z -v says the connection succeeded"
closed=$(free_port)
"$SOCKKIT" connect -z -v 127.0.0.1 "$closed" 2>"$TMP/z.err"
is "$?" 1 "-z on a closed port: exit 1"
like "$(cat "$TMP/z.err")" "^sockkit: connect 127\.0\.0\.1 port $closed: Connection refused$" \
    "-z on a closed port says refused"
"$SOCKKIT" connect -z http://x 80 2>"$TMP/z.err"
is "$?" 2 "-z on a malformed host: usage error, exit 2"
like "$(cat "$TMP/z.err")" "^sockkit: connect: bad host 'http://x': " \
    "-z on a malformed host names it"

printf abc | "$SOCKKIT" connect -v 127.0.0.1 "$disc_port" 2>"$TMP/v.err"
is "$?" 0 "-v relay to discard: exit 0"
v=$(cat "$TMP/v.err")
like "$v" "^sockkit: connecting to 127\.0\.0\.1 port $disc_port$" "-v names the address tried"
like "$v" "^sockkit: connected to 127\.0\.0\.1 port $disc_port from 127\.0\.0\.1 port [0-9]+$" \
    "-v says connected from where"
like "$v" "sent 3 bytes, received 0 bytes$" "-v counts the bytes"

# -C: LF becomes CRLF, CRLF stays, also across read boundaries.
bg socat -d -d TCP-LISTEN:0,bind=127.0.0.1 "OPEN:$TMP/crlf.got,creat,trunc" 2>"$TMP/crlf.err"
pid=$!
port=$(socat_port "$TMP/crlf.err")
printf 'a\nb\r\nc' | timeout 10 "$SOCKKIT" connect -C 127.0.0.1 "$port"
wait_pid $pid 5
is "$(od -An -c "$TMP/crlf.got" | tr -s ' ')" " a \\r \\n b \\r \\n c" "-C: LF to CRLF, CRLF kept"
bg socat -d -d TCP-LISTEN:0,bind=127.0.0.1 "OPEN:$TMP/crlf2.got,creat,trunc" 2>"$TMP/crlf2.err"
pid=$!
port=$(socat_port "$TMP/crlf2.err")
{ printf 'a\r'; sleep 0.3; printf '\nb\n'; } | timeout 10 "$SOCKKIT" connect -C 127.0.0.1 "$port"
wait_pid $pid 5
is "$(od -An -c "$TMP/crlf2.got" | tr -s ' ')" " a \\r \\n b \\r \\n" \
    "-C: a CR at the end of one read and LF at the start of the next stay CRLF"

# -x: hex dump of both directions, each chunk with direction, offset, length.
serve echo "$SOCKKIT" listen --mode echo 127.0.0.1 0
got=$(printf 'hello, world\n' | timeout 10 "$SOCKKIT" connect -x 127.0.0.1 "$port" 2>"$TMP/x.err")
is "$got" "hello, world" "-x: data still relayed"
x=$(cat "$TMP/x.err")
like "$x" '^> sent 13 bytes at offset 0$' "-x: sent chunk header"
like "$x" '^> 00000000  68 65 6c 6c 6f 2c 20 77  6f 72 6c 64 0a +\|hello, world\.\|$' \
    "-x: sent bytes, hexdump -C layout"
like "$x" '^< received 13 bytes at offset 0$' "-x: received chunk header"
like "$x" '^< 00000000  68 65 6c 6c 6f 2c 20 77  6f 72 6c 64 0a +\|hello, world\.\|$' \
    "-x: received bytes"
# Offsets continue across chunks.
serve echo "$SOCKKIT" listen --mode echo 127.0.0.1 0
{ printf 'first\n'; sleep 0.3; printf 'second\n'; } |
    timeout 10 "$SOCKKIT" connect -x 127.0.0.1 "$port" >/dev/null 2>"$TMP/x.err"
like "$(cat "$TMP/x.err")" '^> sent 7 bytes at offset 6$' "-x: the second chunk's offset"
like "$(cat "$TMP/x.err")" '^> 00000006  73 65 63 6f 6e 64 0a' "-x: line offsets count from the stream start"

# -s and -p: the server sees the source we asked for.
serve src "$SOCKKIT" listen -v 127.0.0.1 0
sport=$(free_port)
"$SOCKKIT" connect -s 127.0.0.2 -p "$sport" 127.0.0.1 "$port" </dev/null 2>"$TMP/s.err"
is "$?" 0 "-s 127.0.0.2 -p PORT: exit 0"
wait_for_line "$TMP/src.err" 'connection from' 5
like "$(cat "$TMP/src.err")" "^sockkit: connection from 127\.0\.0\.2 port $sport$" \
    "-s/-p: the server sees that source address and port"
serve src "$SOCKKIT" listen -v 127.0.0.1 0
"$SOCKKIT" connect -s 127.0.0.3 127.0.0.1 "$port" </dev/null 2>"$TMP/s.err"
wait_for_line "$TMP/src.err" 'connection from' 5
like "$(cat "$TMP/src.err")" "^sockkit: connection from 127\.0\.0\.3 port [0-9]+$" \
    "-s alone: source address, any port"
"$SOCKKIT" connect -s 192.0.2.1 127.0.0.1 "$disc_port" </dev/null 2>"$TMP/s.err"
is "$?" 1 "-s with an address we do not have: exit 1"
like "$(cat "$TMP/s.err")" "bind to source 192\.0\.2\.1 port 0: Cannot assign requested address" \
    "-s with an address we do not have: says why"

# IPv6: [::1], -6, and -4 with an IPv6 address.
serve v6 "$SOCKKIT" listen --mode echo -6 ::1 0
like "$(cat "$TMP/v6.err")" "^Listening on ::1 $port$" "listen -6 ::1 reports ::1"
got=$(printf v6 | timeout 10 "$SOCKKIT" connect '[::1]' "$port")
is "$got" "v6" "connect [::1] PORT"
serve v6 "$SOCKKIT" listen --mode echo -6 ::1 0
got=$(printf v6 | timeout 10 "$SOCKKIT" connect -6 ::1 "$port")
is "$got" "v6" "connect -6 ::1 PORT"
"$SOCKKIT" connect -4 ::1 "$port" </dev/null 2>"$TMP/v6.err"
is "$?" 1 "connect -4 ::1: exit 1"
like "$(cat "$TMP/v6.err")" "unknown host '::1': no IPv4 address" "connect -4 ::1 says why"

# Service names work for PORT.
if getent services discard/tcp >/dev/null; then
	"$SOCKKIT" connect -z -v 127.0.0.1 discard 2>"$TMP/svc.err"
	like "$(cat "$TMP/svc.err")" "connect 127\.0\.0\.1 port 9: " "a service name is looked up (discard is 9)"
else
	skip "no /etc/services (Debian: netbase) for service names"
fi

# stdout opened for appending (>>): splice(2) refuses such files.
printf 'before\n' >"$TMP/app"
bg "$SOCKKIT" listen 127.0.0.1 0 < <(printf 'appended\n') 2>"$TMP/app2.err"
port=$(listen_port "$TMP/app2.err")
timeout 10 "$SOCKKIT" connect 127.0.0.1 "$port" </dev/null >>"$TMP/app" 2>"$TMP/app.err"
is "$?" 0 "stdout opened with >>: exit 0"
is "$(cat "$TMP/app")" "$(printf 'before\nappended')" "stdout opened with >>: data appended"
is "$(cat "$TMP/app.err")" "" "stdout opened with >>: no error"

# stdin or stdout closed: the socket must not take fd 0 or 1 (it would
# then send the peer's data back to it).
serve cl "$SOCKKIT" listen 127.0.0.1 0 < <(printf 'from server\n')
timeout 10 "$SOCKKIT" connect 127.0.0.1 "$port" <&- >"$TMP/cl.got" 2>&1
is "$?" 0 "stdin closed: exit 0"
wait_pid "$pid" 10
is "$(cat "$TMP/cl.out")" "" "stdin closed: nothing sent to the peer"
is "$(cat "$TMP/cl.got")" "from server" "stdin closed: the peer's data on stdout"
serve cl "$SOCKKIT" listen 127.0.0.1 0 <"$TMP/1m"
timeout 10 "$SOCKKIT" connect 127.0.0.1 "$port" </dev/null >&- 2>"$TMP/cl.got"
is "$?" 1 "stdout closed, data to write: exit 1, the data not lost silently"
is "$(cat "$TMP/cl.got")" "sockkit: write to stdout: Bad file descriptor" \
    "stdout closed: one line says so"
wait_pid "$pid" 10
is "$(wc -c <"$TMP/cl.out")" 0 "stdout closed: nothing sent back to the peer"
bg "$SOCKKIT" listen 127.0.0.1 0 </dev/null >/dev/null 2>"$TMP/cl.err"
pid=$!
port=$(listen_port "$TMP/cl.err")
printf x | timeout 10 "$SOCKKIT" connect 127.0.0.1 "$port" >&- 2>"$TMP/cl.got"
is "$?/$(wc -c <"$TMP/cl.got")" "0/0" \
    "stdout closed, nothing to write there: exit 0, no message"
wait_pid "$pid" 10

# stdout closed early: SIGPIPE must not kill sockkit.
head -c 4194304 /dev/zero >"$TMP/4m"
bg "$SOCKKIT" listen 127.0.0.1 0 <"$TMP/4m" 2>"$TMP/pipe.err"
port=$(listen_port "$TMP/pipe.err")
timeout 10 "$SOCKKIT" connect 127.0.0.1 "$port" </dev/null 2>"$TMP/pipe2.err" | head -c 1 >/dev/null
rc=${PIPESTATUS[0]}
is "$rc" 1 "stdout closed early: exit 1, not killed by SIGPIPE"
like "$(cat "$TMP/pipe2.err")" "write to stdout: Broken pipe" "stdout closed early: says so"

# A zoned link-local address keeps its zone in every message (fe80::/64
# has no route on lo: nothing is sent).
"$SOCKKIT" connect -v fe80::1%lo 80 </dev/null 2>"$TMP/zone.err"
is "$?" 1 "connect fe80::1%lo: exit 1"
is "$(cat "$TMP/zone.err")" "sockkit: connecting to fe80::1%lo port 80
sockkit: connect fe80::1%lo port 80: Network is unreachable" \
    "connect fe80::1%lo: the zone in every message"
done_testing
