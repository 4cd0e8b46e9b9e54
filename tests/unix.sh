#!/bin/bash
# tests/unix.sh: Unix stream sockets both ways: sockkit to sockkit, with
# socat and nc -U; an existing socket file, --unlink, bad paths; modes.
. "$srcdir/lib.sh"
need_cmd python3

S=$TMP/s.sock
head -c 8388608 /dev/urandom >"$TMP/8m"
printf 'to the server\n' >"$TMP/ctext"
printf 'to the client\n' >"$TMP/stext"

# ulisten NAME ARGS...: sockkit listen -U $S ARGS; sets $pid.
ulisten() {
	_name=$1; shift
	bg "$SOCKKIT" listen -U "$S" "$@" >"$TMP/$_name.out" 2>"$TMP/$_name.err"
	pid=$!
	wait_for_line "$TMP/$_name.err" '^Listening on ' 5
}

# sockkit to sockkit.
bg "$SOCKKIT" listen -U "$S" <"$TMP/stext" >"$TMP/l.out" 2>"$TMP/l.err"
pid=$!
wait_for_line "$TMP/l.err" '^Listening on ' 5
is "$(cat "$TMP/l.err")" "Listening on $S" "listen -U: Listening on PATH"
got=$(timeout 10 "$SOCKKIT" connect -U "$S" <"$TMP/ctext")
is "$?" 0 "connect -U: exit 0"
is "$got" "to the client" "connect -U: got the server's text"
wait_pid "$pid" 10
is "$?" 0 "listen -U: exit 0"
is "$(cat "$TMP/l.out")" "to the server" "listen -U: got the client's text"
[ ! -e "$S" ]
ok $? "listen -U: the socket file is removed at exit"
ulisten big
timeout 20 "$SOCKKIT" connect -U "$S" <"$TMP/8m"
wait_pid "$pid" 10
is "$(digest "$TMP/big.out")" "$(digest "$TMP/8m")" "sockkit to sockkit over -U: 8 MiB byte-exact"

# With socat, both ways.
if command -v socat >/dev/null; then
	bg socat -t 10 UNIX-LISTEN:"$S" STDIO <"$TMP/stext" >"$TMP/so.out" 2>/dev/null
	sp=$!
	_i=0; while [ ! -S "$S" ] && [ $_i -lt 100 ]; do sleep 0.05; _i=$((_i + 1)); done
	got=$(timeout 10 "$SOCKKIT" connect -U "$S" <"$TMP/ctext")
	is "$got" "to the client" "connect -U to socat UNIX-LISTEN: got its text"
	wait_pid "$sp" 10
	is "$(cat "$TMP/so.out")" "to the server" "connect -U to socat UNIX-LISTEN: socat got ours"
	rm -f "$S"
	ulisten so
	timeout 20 socat -t 10 STDIO UNIX-CONNECT:"$S" <"$TMP/8m" >/dev/null
	wait_pid "$pid" 10
	is "$(digest "$TMP/so.out")" "$(digest "$TMP/8m")" "socat UNIX-CONNECT to listen -U: 8 MiB byte-exact"
else
	skip "needs socat"; skip "needs socat"; skip "needs socat"
fi

# With OpenBSD nc -U, both ways.
if command -v nc >/dev/null && nc -h 2>&1 | grep -q 'OpenBSD netcat'; then
	rm -f "$S"
	bg nc -U -l "$S" <"$TMP/stext" >"$TMP/nc.out" 2>/dev/null
	np=$!
	_i=0; while [ ! -S "$S" ] && [ $_i -lt 100 ]; do sleep 0.05; _i=$((_i + 1)); done
	got=$(timeout 10 "$SOCKKIT" connect -U "$S" <"$TMP/ctext")
	is "$got" "to the client" "connect -U to nc -U -l: got its text"
	wait_pid "$np" 10
	is "$(cat "$TMP/nc.out")" "to the server" "connect -U to nc -U -l: nc got ours"
	rm -f "$S"
	bg "$SOCKKIT" listen -U "$S" <"$TMP/stext" >"$TMP/ncl.out" 2>"$TMP/ncl.err"
	pid=$!
	wait_for_line "$TMP/ncl.err" '^Listening on ' 5
	got=$(timeout 10 nc -N -U "$S" <"$TMP/ctext")
	is "$got" "to the client" "nc -U to listen -U: nc got our text"
	wait_pid "$pid" 10
	is "$(cat "$TMP/ncl.out")" "to the server" "nc -U to listen -U: we got nc's"
else
	skip "needs OpenBSD nc"; skip "needs OpenBSD nc"; skip "needs OpenBSD nc"; skip "needs OpenBSD nc"
fi

# An existing socket file is an error naming it, unless --unlink.
rm -f "$S"
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$S"
"$SOCKKIT" listen -U "$S" </dev/null 2>"$TMP/err"
is "$?" 1 "existing socket file: exit 1"
is "$(cat "$TMP/err")" "sockkit: listen $S: a socket file is already there (remove it, or use --unlink)" \
    "existing socket file: named, with the way out"
ulisten un --unlink
got=$(printf u | timeout 10 "$SOCKKIT" connect -U "$S")
wait_pid "$pid" 10
is "$?" 0 "--unlink: replaces the stale socket file and serves"
is "$(cat "$TMP/un.out")" "u" "--unlink: the client's data arrived"
: >"$TMP/plain"
"$SOCKKIT" listen --unlink -U "$TMP/plain" </dev/null 2>"$TMP/err"
is "$?" 1 "a regular file at PATH: exit 1, even with --unlink"
is "$(cat "$TMP/err")" "sockkit: listen $TMP/plain: File exists and is not a socket" \
    "a regular file at PATH: named"
[ -f "$TMP/plain" ]
ok $? "a regular file at PATH is left alone"
"$SOCKKIT" connect -U "$TMP/nowhere.sock" </dev/null 2>"$TMP/err"
is "$?" 1 "connect -U to a missing path: exit 1"
is "$(cat "$TMP/err")" "sockkit: connect $TMP/nowhere.sock: No such file or directory" \
    "connect -U to a missing path: named"
# A path that is there but no socket: what it is, not "Connection refused".
mkdir "$TMP/adir"
for p in "$TMP/adir:a directory" "$TMP/plain:a regular file"; do
	"$SOCKKIT" connect -U "${p%%:*}" </dev/null 2>"$TMP/err"
	is "$?/$(cat "$TMP/err")" "1/sockkit: connect ${p%%:*}: ${p#*:}, not a socket" \
	    "connect -U to ${p#*:}: exit 1, says what is there"
	"$SOCKKIT" udp -U "${p%%:*}" </dev/null 2>"$TMP/err"
	is "$?/$(cat "$TMP/err")" "1/sockkit: udp ${p%%:*}: ${p#*:}, not a socket" \
	    "udp -U to ${p#*:}: exit 1, says what is there"
done
long=$TMP/$(printf 'x%.0s' $(seq 1 120)).sock
"$SOCKKIT" listen -U "$long" </dev/null 2>"$TMP/err"
is "$?" 2 "listen -U with a path too long: usage error, exit 2"
like "$(cat "$TMP/err")" "bad socket path '.*': empty or longer than 107 bytes" "path too long: says so"

# Modes over -U: echo with -k, and discard fed faster than it reads.
ulisten echo -k --mode echo
n=0
for i in 1 2 3; do
	got=$(printf "client $i" | timeout 10 "$SOCKKIT" connect -U "$S")
	[ "$got" = "client $i" ] && n=$((n + 1))
done
is "$n" 3 "-U -k --mode echo: three clients each get their data back"
kill "$pid"; wait_pid "$pid" 5
[ ! -e "$S" ]
ok $? "-U -k: the socket file is removed when stopped"
ulisten disc -v --mode discard
# A client with a 16 MiB send buffer (root may force it): the server must
# never read more than its buffer holds.
timeout 20 python3 - "$S" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
try:
    s.setsockopt(socket.SOL_SOCKET, 32, 16 << 20)  # SO_SNDBUFFORCE
except OSError:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 16 << 20)
s.connect(sys.argv[1])
s.sendall(b"d" * (16 << 20))
s.close()
PY
wait_pid "$pid" 10
is "$?" 0 "-U --mode discard with a big client buffer: exit 0"
like "$(cat "$TMP/disc.err")" "closed: discarded 16,777,216 bytes$" "-U --mode discard: every byte counted"

# -z over -U, and a listener stopped while it waits removes its file.
ulisten z -k --mode discard
"$SOCKKIT" connect -z -v -U "$S" 2>"$TMP/err"
is "$?" 0 "connect -z -U: exit 0"
is "$(cat "$TMP/err")" "sockkit: Connection to $S succeeded" "connect -z -v -U: says so"
kill "$pid"; wait_pid "$pid" 5
ulisten wait
kill "$pid"
wait_pid "$pid" 5
is "$?" 143 "listen -U waiting for a client: SIGTERM ends it"
[ ! -e "$S" ]
ok $? "listen -U waiting for a client: the socket file is removed"

# SOCK_SEQPACKET keeps message boundaries.
rm -f "$S"
bg "$SOCKKIT" listen --seqpacket -U "$S" </dev/null >"$TMP/sp.out" 2>"$TMP/sp.err"
pid=$!
wait_for_line "$TMP/sp.err" '^Listening on ' 5
printf 'packet' | timeout 10 "$SOCKKIT" connect --seqpacket -U "$S"
wait_pid "$pid" 10
is "$(cat "$TMP/sp.out")" "packet" "--seqpacket: data arrives"

done_testing
