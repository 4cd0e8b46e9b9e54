# tests/udp-unix.sh: Unix datagram sockets both ways (udp -U), and
# SOCK_SEQPACKET message boundaries (connect/listen --seqpacket).
. "${srcdir:=$(cd "$(dirname "$0")" && pwd)}/udp-lib.sh"
need_cmd socat python3

plan 17

# sockkit client to the sockkit echo server: replies reach the client's
# temporary path, which is gone afterwards.
sock=$TMP/echo.sock
bg "$SOCKKIT" udp -l -v --mode echo -U "$sock" >"$TMP/echo.out" 2>"$TMP/echo.err"
spid=$!
wait_for_line "$TMP/echo.err" '^Listening on ' 5
is "$(head -n 1 "$TMP/echo.err")" "Listening on $sock" "-l -U: 'Listening on PATH'"
out=$(printf 'one\ntwo\n' | TMPDIR=$TMP "$SOCKKIT" udp -v -w 0.5 -U "$sock" 2>"$TMP/c.err")
is "$out" "one
two" "-U: each line echoed back to the client"
tmp=$(sed -n 's/^sockkit: udp: replies come to //p' "$TMP/c.err")
like "$tmp" "^$TMP/sockkit-udp\.[A-Za-z0-9]{6}/c\$" "-U: the client bound a temporary path"
[ -n "$tmp" ] && [ ! -e "$tmp" ] && [ ! -e "$(dirname "$tmp")" ]
is "$?" 0 "-U: the temporary path is removed on exit"
like "$(cat "$TMP/echo.err")" "datagram from $TMP/sockkit-udp\.[A-Za-z0-9]{6}/c: 4 bytes" \
    "-l -U -v: the sender's path and size"
out=$("$SOCKKIT" udp -z -U "$sock")
like "$out" "^udp $sock: open: a reply of 0 bytes" "-z -U: an empty datagram and its echo"

# socat as the Unix datagram client of a sockkit server, and as the server.
socat -u - UNIX-SENDTO:"$sock" <<EOF
from-socat
EOF
wait_for_line "$TMP/echo.err" ': 11 bytes$' 3
is "$?" 0 "socat UNIX-SENDTO: the sockkit server gets the datagram"
kill "$spid"; wait_pid "$spid" 5
[ ! -e "$sock" ]
is "$?" 0 "-l -U: the socket file is removed at exit"

bg socat -u UNIX-RECV:"$TMP/socat.sock" OPEN:"$TMP/socat.out",creat
_i=0; while [ ! -S "$TMP/socat.sock" ] && [ $_i -lt 100 ]; do sleep 0.05; _i=$((_i + 1)); done
printf 'to-socat\n' | "$SOCKKIT" udp -w 0 -U "$TMP/socat.sock"
is "$?" 0 "-U to a socat UNIX-RECV server: exit 0"
wait_for_line "$TMP/socat.out" '^to-socat$' 3
is "$(cat "$TMP/socat.out")" "to-socat" "socat UNIX-RECV gets the datagram"

# Failures: no such socket; an existing socket file without --unlink.
err=$("$SOCKKIT" udp -U "$TMP/none.sock" </dev/null 2>&1)
is "$?:$err" "1:sockkit: udp $TMP/none.sock: No such file or directory" \
    "-U to a missing path: exit 1, named"
err=$("$SOCKKIT" udp -l -U "$TMP/socat.sock" 2>&1)
like "$?:$err" "^1:sockkit: udp: listen $TMP/socat.sock: a socket file is already there" \
    "-l -U on an existing socket file: refused without --unlink"

# SOCK_SEQPACKET: each stdin read goes as one message, each message is
# written as one chunk (-x shows the chunks), an empty one is no EOF.
python3 - "$TMP/sp.sock" >"$TMP/sp.sizes" <<'EOF' &
import socket, sys
l = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
l.bind(sys.argv[1]); l.listen(1); l.settimeout(10)
c, _ = l.accept(); c.settimeout(10)
sizes = []
while True:
	m = c.recv(300000)
	if not m:
		break
	sizes.append(len(m))
print(" ".join(map(str, sizes)))
EOF
ppid=$!; _pids="$_pids $ppid"
_i=0; while [ ! -S "$TMP/sp.sock" ] && [ $_i -lt 100 ]; do sleep 0.05; _i=$((_i + 1)); done
head -c 100000 /dev/urandom >"$TMP/big"
"$SOCKKIT" connect --seqpacket -U "$TMP/sp.sock" <"$TMP/big"
wait_pid "$ppid" 10
is "$(cat "$TMP/sp.sizes")" "100000" \
    "connect --seqpacket: a 100000-byte read goes as one message"

"$SOCKKIT" listen -x --seqpacket -U "$TMP/sl.sock" </dev/null >"$TMP/sl.out" \
    2>"$TMP/sl.err" &
lpid=$!; _pids="$_pids $lpid"
wait_for_line "$TMP/sl.err" '^Listening on ' 5
python3 - "$TMP/sl.sock" <<'EOF'
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sys.argv[1])
for m in [b"a", b"", b"b" * 1000, b"c" * 70000]:
	s.send(m)
s.shutdown(socket.SHUT_WR)
s.settimeout(10)
s.recv(10)
EOF
wait_pid "$lpid" 10
is "$?" 0 "listen --seqpacket: ends at the peer's EOF, exit 0"
is "$(grep -E '^< received' "$TMP/sl.err" | tr '\n' ' ')" \
    "< received 1 bytes at offset 0 < received 1000 bytes at offset 1 < received 70000 bytes at offset 1001 " \
    "listen --seqpacket: messages of 1, 1000, 70000 bytes kept whole"
is "$(wc -c <"$TMP/sl.out" | tr -d ' ')" 71001 \
    "listen --seqpacket: an empty message is not taken for EOF"

# A socket type this system does not have: a clear message, exit 1.
err=$("$SOCKKIT" udp --type rdm -U "$TMP/x.sock" </dev/null 2>&1)
like "$?:$err" "^1:sockkit: udp $TMP/x.sock: SOCK_RDM sockets: " \
    "-U --type rdm: not supported, said so"

done_testing
