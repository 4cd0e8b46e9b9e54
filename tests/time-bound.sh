#!/bin/bash
# tests/time-bound.sh: listen --mode time reads from a client that does
# not read its answers only what it can answer within its bound (64 KiB
# waiting, doc/sockkit.1): a 256 KiB read of one-byte lines queued 7 MiB.
# On a Unix socket the kernel holds little of the answers, and what the
# server left unread stays in the client's send queue (TIOCOUTQ).
. "$srcdir/lib.sh"
need_cmd python3
plan 2

cat >"$TMP/outq.py" <<'PY'
import fcntl, socket, struct, sys, termios, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.setblocking(False)
sent = 0
for _ in range(64):			# one-byte lines, until the socket is full
    try:
        sent += s.send(b"\n" * 16384)
    except BlockingIOError:
        break
time.sleep(1.5)				# the server takes what it will take
outq = struct.unpack("i", fcntl.ioctl(s, termios.TIOCOUTQ, b"\0" * 4))[0]
print(sent, outq)
PY
bg "$SOCKKIT" listen -k --mode time -U "$TMP/t.sock" 2>"$TMP/t.err"
wait_for_line "$TMP/t.err" '^Listening on ' 10
read -r sent outq < <("$PYTHON" "$TMP/outq.py" "$TMP/t.sock")
ok $([ "${sent:-0}" -ge 65536 ]; echo $?) "the client queued ${sent:-0} bytes of lines"
# 64 KiB of answers is 2,400 of these lines (27 bytes of prefix each).
ok $([ "${outq:-0}" -ge $((${sent:-0} / 2)) ]; echo $?) \
    "the server left them unread: ${outq:-0} of ${sent:-0} bytes still queued"
done_testing
