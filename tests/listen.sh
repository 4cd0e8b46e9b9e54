#!/bin/bash
# tests/listen.sh: sockkit listen in relay mode: the "Listening on" line,
# dual stack and -4/-6, data both ways, half-close with stdin from a file,
# one client without -k, -v, -w idle timeouts, -x and -C on the server.
. "$srcdir/lib.sh"
need_cmd python3 socat

# The ready line: port 0 becomes the real port; the address is shown.
serve l "$SOCKKIT" listen 127.0.0.1 0
like "$port" '^[1-9][0-9]*$' "port 0: Listening on shows the real port"
like "$(head -n 1 "$TMP/l.err")" "^Listening on 127\.0\.0\.1 $port$" "Listening on 127.0.0.1 PORT"
printf 'from client\n' | timeout 10 "$SOCKKIT" connect 127.0.0.1 "$port" >"$TMP/c.out"
is "$?" 0 "client to listen: exit 0"
wait_pid "$pid" 10
is "$?" 0 "listen without -k: exits 0 after its client"
is "$(cat "$TMP/l.out")" "from client" "listen: client data on stdout"

# No ADDRESS: dual stack, one socket for IPv4 and IPv6.
serve d "$SOCKKIT" listen 0
like "$(head -n 1 "$TMP/d.err")" "^Listening on :: $port$" "no ADDRESS: Listening on ::"
printf v4 | timeout 10 "$SOCKKIT" connect 127.0.0.1 "$port"
wait_pid "$pid" 10
is "$(cat "$TMP/d.out")" "v4" "dual stack: IPv4 client served"
serve d "$SOCKKIT" listen 0
printf v6 | timeout 10 "$SOCKKIT" connect ::1 "$port"
wait_pid "$pid" 10
is "$(cat "$TMP/d.out")" "v6" "dual stack: IPv6 client served"

# -4 and -6 restrict.
serve four "$SOCKKIT" listen -4 0
like "$(head -n 1 "$TMP/four.err")" "^Listening on 0\.0\.0\.0 $port$" "-4: Listening on 0.0.0.0"
"$SOCKKIT" connect -z ::1 "$port" 2>/dev/null
is "$?" 1 "-4: an IPv6 client is refused"
"$SOCKKIT" connect -z 127.0.0.1 "$port"
is "$?" 0 "-4: an IPv4 client is accepted"
serve six "$SOCKKIT" listen -6 0
like "$(head -n 1 "$TMP/six.err")" "^Listening on :: $port$" "-6: Listening on ::"
"$SOCKKIT" connect -z 127.0.0.1 "$port" 2>/dev/null
is "$?" 1 "-6: an IPv4 client is refused"
"$SOCKKIT" connect -z ::1 "$port"
is "$?" 0 "-6: an IPv6 client is accepted"

# ADDRESS in brackets.
serve br "$SOCKKIT" listen --mode echo '[::1]' 0
like "$(head -n 1 "$TMP/br.err")" "^Listening on ::1 $port$" "listen [::1]: Listening on ::1"
is "$(printf br | timeout 10 "$SOCKKIT" connect ::1 "$port")" "br" "listen [::1]: serves"

# Data both ways in one connection, with stdin from a file.
head -c 300000 /dev/urandom >"$TMP/f"
bg "$SOCKKIT" listen -v 127.0.0.1 0 <"$TMP/f" >"$TMP/b.out" 2>"$TMP/b.err"
pid=$!
port=$(listen_port "$TMP/b.err")
printf 'hello server' | timeout 10 "$SOCKKIT" connect 127.0.0.1 "$port" >"$TMP/b.got"
is "$?" 0 "both ways: client exit 0"
wait_pid "$pid" 10
is "$?" 0 "both ways: server exit 0"
is "$(digest "$TMP/b.got")" "$(digest "$TMP/f")" "both ways: the client got the server's file"
is "$(cat "$TMP/b.out")" "hello server" "both ways: the server got the client's data"
like "$(cat "$TMP/b.err")" "^sockkit: connection from 127\.0\.0\.1 port [0-9]+$" "-v: connection from"
like "$(cat "$TMP/b.err")" "sent 300,000 bytes, received 12 bytes$" "-v: byte counts"

# Half-close: a client that shuts down its writing side at once still
# gets the whole file that listen's stdin holds.
head -c 8388608 /dev/urandom >"$TMP/8m"
bg "$SOCKKIT" listen 127.0.0.1 0 <"$TMP/8m" >"$TMP/h.out" 2>"$TMP/h.err"
pid=$!
port=$(listen_port "$TMP/h.err")
timeout 20 $PEER halfclose "$port" >"$TMP/h.got"
is "$?" 0 "half-closing client: exit 0"
wait_pid "$pid" 10
is "$?" 0 "half-closing client: server exit 0"
is "$(digest "$TMP/h.got")" "$(digest "$TMP/8m")" "half-closing client: the whole 8 MiB file arrived"
is "$(cat "$TMP/h.out")" "x" "half-closing client: its byte arrived"

# The same with stdin from a pipe (splice from a pipe).
bg "$SOCKKIT" listen 127.0.0.1 0 < <(exec cat "$TMP/8m") >"$TMP/h.out" 2>"$TMP/h.err"
port=$(listen_port "$TMP/h.err")
timeout 20 $PEER halfclose "$port" >"$TMP/h.got"
is "$(digest "$TMP/h.got")" "$(digest "$TMP/8m")" "stdin from a pipe: the whole file arrived"

# -w: a client idle for SECS is dropped.
serve w "$SOCKKIT" listen -w 0.5 127.0.0.1 0
# A FIFO opened for reading and writing: stdin that never ends.
mkfifo "$TMP/fifo"
exec 3<>"$TMP/fifo"
bg "$SOCKKIT" connect 127.0.0.1 "$port" <&3 >/dev/null 2>&1
wait_pid "$pid" 10
is "$?" 1 "-w 0.5: listen exits 1 when its client is idle"
like "$(cat "$TMP/w.err")" "^sockkit: 127\.0\.0\.1 port [0-9]+: timed out: idle for 0\.5 s \(-w\)$" \
    "-w: says timed out, naming the client"

# -w with -k: the idle client is closed with a message, the server stays.
serve wk "$SOCKKIT" listen -k -w 0.5 --mode echo 127.0.0.1 0
# (socat -u: a client that only reads and ends at the server's close.)
timeout 10 socat -u TCP:127.0.0.1:"$port" STDOUT >/dev/null 2>&1
is "$?" 0 "-k -w: the idle client sees the server close"
like "$(cat "$TMP/wk.err")" "^sockkit: listen: connection from 127\.0\.0\.1 port [0-9]+: idle for 0\.5 s \(-w\): closed$" \
    "-k -w: the server says it closed the idle client"
got=$(printf again | timeout 10 "$SOCKKIT" connect 127.0.0.1 "$port")
is "$got" "again" "-k -w: the server still serves the next client"

# -x and -C on the listening side.
bg "$SOCKKIT" listen -C -x 127.0.0.1 0 < <(printf 'l1\nl2\n') >"$TMP/x.out" 2>"$TMP/x.err"
pid=$!
port=$(listen_port "$TMP/x.err")
printf 'ping' | timeout 10 "$SOCKKIT" connect 127.0.0.1 "$port" >"$TMP/x.got"
wait_pid "$pid" 10
is "$(od -An -c "$TMP/x.got" | tr -s ' ')" " l 1 \\r \\n l 2 \\r \\n" "listen -C: CRLF sent"
like "$(cat "$TMP/x.err")" '^> sent 8 bytes at offset 0$' "listen -x: sent chunk (after -C)"
like "$(cat "$TMP/x.err")" '^< 00000000  70 69 6e 67 +\|ping\|$' "listen -x: received chunk"

# A listen ADDRESS we do not have, and a name that does not resolve.
"$SOCKKIT" listen 192.0.2.1 0 2>"$TMP/e.err"
is "$?" 1 "listen on an address we do not have: exit 1"
like "$(cat "$TMP/e.err")" "^sockkit: listen 192\.0\.2\.1 port 0: Cannot assign requested address" \
    "listen on an address we do not have: names it and says why"
"$SOCKKIT" listen no-such-host.invalid 0 2>"$TMP/e.err"
is "$?" 1 "listen on an unknown name: exit 1"
like "$(cat "$TMP/e.err")" "unknown host 'no-such-host\.invalid'" "listen on an unknown name: names it"

# stdout closed where a client's data must go: exit 1 with a message
# (it was taken as /dev/null and the data vanished), with and without -k.
for k in "" -k; do
	bg "$SOCKKIT" listen $k 127.0.0.1 0 </dev/null >&- 2>"$TMP/so.err"
	pid=$!
	port=$(listen_port "$TMP/so.err")
	printf data | timeout 10 "$SOCKKIT" connect 127.0.0.1 "$port" \
	    >/dev/null 2>&1
	wait_pid "$pid" 10
	is "$?/$(grep -c '^sockkit: write to stdout: Bad file descriptor$' \
	    "$TMP/so.err")" 1/1 "listen${k:+ $k}, stdout closed: exit 1, says so"
done

done_testing
