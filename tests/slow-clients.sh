#!/bin/bash
# tests/slow-clients.sh: listen -k against clients that hold what they
# get: at --max-conns the rest wait in the backlog (a fast sequential
# client loses no connection and no byte; a client behind slow ones is
# served once a slot frees); --min-rate closes clients that trickle a
# byte now and then; in relay mode a client that never reads is closed at
# --max-queue, or with --lossy misses data, while the others get all of
# standard input; out of descriptors, the server says so once a second.
. "$srcdir/lib.sh"
need_cmd python3 ss

# The clients, in Python: each gives up after 30 seconds.
cat >"$TMP/clients.py" <<'EOF'
import os, socket, sys, time
socket.setdefaulttimeout(30)
mode, port = sys.argv[1], int(sys.argv[2])
deadline = time.time() + 30
if mode == "seq":
    # connect, send one line, close; again and again
    for i in range(int(sys.argv[3])):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"line %d\n" % i)
        s.close()
elif mode == "trickle":
    # N clients, each sends a byte every 0.3 s; say how many the server
    # closed, once all are closed or the file STOP exists
    socks = [socket.create_connection(("127.0.0.1", port))
             for _ in range(int(sys.argv[3]))]
    closed = 0
    while socks and time.time() < deadline and not os.path.exists(sys.argv[4]):
        for s in list(socks):
            try:
                s.send(b"x")
            except OSError:
                socks.remove(s)
                closed += 1
        time.sleep(0.3)
    print(closed)
elif mode == "noread":
    # read nothing until the file GO exists, then count what arrives
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
    sys.stdout.write("connected\n")
    sys.stdout.flush()
    while not os.path.exists(sys.argv[3]) and time.time() < deadline:
        time.sleep(0.05)
    n = 0
    try:
        while True:
            b = s.recv(1 << 20)
            if not b:
                break
            n += len(b)
    except OSError as e:
        sys.stdout.write("%s\n" % e.strerror)
    sys.stdout.write("%d\n" % n)
elif mode == "hold":
    # N connections that send nothing, held until STOP exists
    socks = [socket.create_connection(("127.0.0.1", port))
             for _ in range(int(sys.argv[3]))]
    while not os.path.exists(sys.argv[4]) and time.time() < deadline:
        time.sleep(0.05)
EOF
clients() { timeout 40 "$PYTHON" "$TMP/clients.py" "$@"; }

# A sequential client, 2000 connections as fast as it can, against
# --max-conns 4 and the default 100: every connection is served and every
# line reaches stdout (they used to be refused once the accept loop had
# taken more than the limit before reading any EOF).
for limit in 4 100; do
	bg "$SOCKKIT" listen -k --max-conns "$limit" 127.0.0.1 0 </dev/null \
	    >"$TMP/seq.out" 2>"$TMP/seq.err"
	pid=$!
	port=$(listen_port "$TMP/seq.err")
	clients seq "$port" 2000
	wait_count "$TMP/seq.out" '^line' 2000
	kill "$pid"; wait_pid "$pid" 5
	is "$(sort -u "$TMP/seq.out" | grep -c '^line [0-9]*$')" 2000 \
	    "--max-conns $limit: all 2000 lines of a sequential client arrive"
	is "$(grep -c refused "$TMP/seq.err")" 0 \
	    "--max-conns $limit: no connection refused"
done

# Three clients that trickle hold all of --max-conns 3: a fourth waits in
# the backlog and is served once they leave, not refused.
bg "$SOCKKIT" listen -k --max-conns 3 --mode echo 127.0.0.1 0 \
    2>"$TMP/tr.err"
pid=$!
port=$(listen_port "$TMP/tr.err")
clients trickle "$port" 3 "$TMP/stop" >"$TMP/tr.n" &
trpid=$!
wait_established "$port" 3
bg sh -c 'printf hi | timeout 30 "$0" connect 127.0.0.1 "$1"' "$SOCKKIT" \
    "$port" >"$TMP/fourth.out" 2>/dev/null
fourth=$!
sleep 1
is "$(cat "$TMP/fourth.out")" "" \
    "--max-conns 3 held by 3 tricklers: a fourth is not served yet"
touch "$TMP/stop"
wait "$trpid"
wait_pid "$fourth" 20
is "$?" 0 "--max-conns 3: the fourth client exits 0"
is "$(cat "$TMP/fourth.out")" hi \
    "--max-conns 3: the fourth is served once the tricklers leave"
is "$(grep -c refused "$TMP/tr.err")" 0 "--max-conns 3: nobody refused"
kill "$pid"; wait_pid "$pid" 5
rm -f "$TMP/stop"

# --min-rate 100/1: the tricklers (a byte each 0.3 s) are closed, and the
# fourth client is served while they would still trickle.
bg "$SOCKKIT" listen -k --max-conns 3 --min-rate 100/1 --mode echo \
    127.0.0.1 0 2>"$TMP/mr.err"
pid=$!
port=$(listen_port "$TMP/mr.err")
clients trickle "$port" 3 "$TMP/stop" >"$TMP/mr.n" &
trpid=$!
wait_established "$port" 3
got=$(printf hi | timeout 20 "$SOCKKIT" connect 127.0.0.1 "$port" 2>/dev/null)
is "$got" hi "--min-rate 100/1: a client behind 3 tricklers is served"
wait "$trpid"
is "$(cat "$TMP/mr.n")" 3 "--min-rate 100/1: the server closed all 3 tricklers"
is "$(grep -Ec '^sockkit: listen: connection from 127\.0\.0\.1 port [0-9]+: [0-9]+ bytes in [0-9.]+ s, under --min-rate 100/1: closed$' "$TMP/mr.err")" 3 \
    "--min-rate 100/1: each closing is said, with the bytes moved"
# A client that moves a lot is not touched.
head -c 4194304 /dev/urandom >"$TMP/4m"
timeout 30 "$SOCKKIT" connect 127.0.0.1 "$port" <"$TMP/4m" >"$TMP/4m.got"
is "$(digest "$TMP/4m.got")" "$(digest "$TMP/4m")" \
    "--min-rate 100/1: a client moving 4 MiB gets all of it back"
kill "$pid"; wait_pid "$pid" 5

# Relay -k: standard input goes to 3 reading clients and one that never
# reads.  It starts to flow once all four are there (the file "flow").
# fanout NAME ARGS...: sets $got (bytes each reader got) and leaves the
# server's stderr in $TMP/NAME.err, the non-reader's report in
# $TMP/NAME.nr.  With PAUSE=1 the first reader is stopped for a second
# once the data flows, as a loaded machine may do to any process.
SIZE=16777216
fanout() {
	_name=$1; shift
	rm -f "$TMP/flow" "$TMP/go"
	bg "$SOCKKIT" listen -k -v "$@" 127.0.0.1 0 >/dev/null \
	    2>"$TMP/$_name.err" < <(wait_until 30 test -e "$TMP/flow"
	    exec head -c $SIZE /dev/zero)
	pid=$!
	port=$(listen_port "$TMP/$_name.err")
	clients noread "$port" "$TMP/go" >"$TMP/$_name.nr" &
	_nr=$!
	wait_for_line "$TMP/$_name.nr" connected 10
	_r=
	for i in 1 2 3; do
		{ timeout 30 sh -c 'echo $$ >"$0"; exec "$1" connect \
		    127.0.0.1 "$2"' "$TMP/$_name.p$i" "$SOCKKIT" "$port" \
		    </dev/null 2>/dev/null | wc -c >"$TMP/$_name.r$i"; } &
		_r="$_r $!"
	done
	wait_count "$TMP/$_name.err" 'connection from .*[0-9]$' 4
	touch "$TMP/flow"
	if [ "${PAUSE:-0}" = 1 ]; then
		kill -STOP "$(cat "$TMP/$_name.p1")"
		sleep 1
		kill -CONT "$(cat "$TMP/$_name.p1")"
	fi
	for p in $_r; do wait "$p"; done
	touch "$TMP/go"
	wait "$_nr"
	got=$(cat "$TMP/$_name.r1" "$TMP/$_name.r2" "$TMP/$_name.r3" |
	    tr -d ' ' | tr '\n' ' ')
	kill "$pid" 2>/dev/null; wait_pid "$pid" 5
}

fanout q
is "$got" "$SIZE $SIZE $SIZE " \
    "relay -k: 3 readers get all 16 MiB past a client that never reads"
like "$(cat "$TMP/q.err")" "^sockkit: listen: connection from 127\.0\.0\.1 port [0-9]+: not reading: [0-9,]+ bytes of standard input waiting for it for 2 s \(--max-queue\): closed$" \
    "relay -k: the client that never reads is closed, and the server says why"
nr=$(tail -n 1 "$TMP/q.nr")
[ -n "$nr" ] && [ "$nr" -lt $SIZE ] 2>/dev/null
ok $? "relay -k: the non-reader got part of it ($nr bytes) and then its end"

PAUSE=1 fanout s --max-queue 256k/3
is "$got" "$SIZE $SIZE $SIZE " \
    "relay -k: a reader stopped for 1 s still gets all 16 MiB (--max-queue 256k/3)"
like "$(cat "$TMP/s.err")" "waiting for it for 3 s \(--max-queue\): closed$" \
    "relay -k: the non-reader is closed after 3 s"
is "$(grep -c 'not reading' "$TMP/s.err")" 1 \
    "relay -k: only the non-reader is closed"

fanout l --max-queue 256k --lossy
is "$got" "$SIZE $SIZE $SIZE " \
    "relay -k --lossy: 3 readers get all 16 MiB past a client that never reads"
nr=$(tail -n 1 "$TMP/l.nr")
like "$nr" '^[0-9]+$' "relay -k --lossy: the non-reader is not reset"
[ "$nr" -gt 0 ] && [ "$nr" -lt $SIZE ]
ok $? "relay -k --lossy: the non-reader is kept and gets part of it ($nr bytes)"
like "$(cat "$TMP/l.err")" "connection from 127\.0\.0\.1 port [0-9]+: not reading: standard input that does not fit in --max-queue is skipped for it \(--lossy\)$" \
    "relay -k --lossy: the server says it skips data for the non-reader"
like "$(cat "$TMP/l.err")" "connection from 127\.0\.0\.1 port [0-9]+: missed [0-9,]+ bytes of standard input \(--lossy\)$" \
    "relay -k --lossy: and at its close how much it missed"
is "$(grep -c 'not reading.*closed' "$TMP/l.err")" 0 \
    "relay -k --lossy: nobody is closed"

# Out of descriptors: with a hard limit of 16 and 30 clients waiting, the
# server warns at most once a second, with a count, not every 100 ms.
rm -f "$TMP/stop"
bg bash -c 'ulimit -n 16 && exec "$0" listen -k --mode echo 127.0.0.1 0' \
    "$SOCKKIT" >/dev/null 2>"$TMP/fd.err"
pid=$!
port=$(listen_port "$TMP/fd.err")
clients hold "$port" 30 "$TMP/stop" &
hold=$!
wait_for_line "$TMP/fd.err" 'Too many open files' 10
sleep 2.5
n=$(grep -c 'Too many open files' "$TMP/fd.err")
touch "$TMP/stop"
wait "$hold"
kill "$pid"; wait_pid "$pid" 5
[ "$n" -ge 2 ] && [ "$n" -le 5 ]
ok $? "out of descriptors for 2.5 s: said $n times (at most once a second)"
like "$(cat "$TMP/fd.err")" "^sockkit: listen: accept: Too many open files \(raise ulimit -n\) \([0-9]+ times in the last second\)$" \
    "out of descriptors: the warning counts what it did not repeat"

# A client that opens a connection to listen -k --tls and never starts
# the handshake is closed when the handshake time is up (10 s).
if "$SOCKKIT" listen --tls --help >/dev/null 2>&1; then
	rm -f "$TMP/stop"
	serve tlsk "$SOCKKIT" listen -k --tls -v --mode discard 127.0.0.1 0 </dev/null
	clients hold "$port" 1 "$TMP/stop" &
	hold=$!
	wait_for_line "$TMP/tlsk.err" 'TLS handshake: timed out after 10 s' 20
	ok $? "listen -k --tls: a client silent in its handshake is closed after 10 s"
	touch "$TMP/stop"
	wait "$hold"
	kill "$pid"; wait_pid "$pid" 5 >/dev/null
else
	skip "this sockkit was built without OpenSSL"
fi

done_testing
