#!/bin/bash
# tests/broker.sh: listen --broker and --chat.  50 clients each get every
# other client's line and never their own; a client that never reads is
# closed with a message at --max-queue while a reader gets every byte;
# --chat's lines, joins and leaves as ncat --chat shows them (run side by
# side, user numbers aside), and a client that leaves mid-line.
. "$srcdir/lib.sh"
need_cmd python3 ss

cat >"$TMP/clients.py" <<'PY'
import os, socket, sys, time
socket.setdefaulttimeout(20)
mode, port = sys.argv[1], int(sys.argv[2])
def conn():
    return socket.create_connection(("127.0.0.1", port))
def read_lines(s, n, deadline):
    data = b""
    while data.count(b"\n") < n and time.time() < deadline:
        b = s.recv(65536)
        if not b:
            break
        data += b
    return data
if mode == "many":
    # N clients; once all are in, each sends "from I"; each must then
    # get the N-1 lines of the others, and not its own
    n = int(sys.argv[3])
    socks = [conn() for _ in range(n)]
    time.sleep(0.5)
    for i, s in enumerate(socks):
        s.sendall(b"from %d\n" % i)
    deadline = time.time() + 20
    good = 0
    for i, s in enumerate(socks):
        got = sorted(read_lines(s, n - 1, deadline).split(b"\n")[:-1])
        want = sorted(b"from %d" % j for j in range(n) if j != i)
        good += got == want
    print(good)
elif mode == "noread":
    # connect with a small receive buffer, never read; wait for FILE
    s = conn()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    print("in", flush=True)
    t = time.time() + 25
    while not os.path.exists(sys.argv[3]) and time.time() < t:
        time.sleep(0.05)
elif mode == "reader":
    # read to the end (or 25 s); print how many bytes
    s = conn()
    print("in", flush=True)
    n = 0
    t = time.time() + 25
    try:
        while time.time() < t:
            b = s.recv(1 << 20)
            if not b:
                break
            n += len(b)
    except OSError:
        pass
    print(n, flush=True)
elif mode == "sender":
    # send MB megabytes, then close
    s = conn()
    chunk = b"x" * (1 << 20)
    for _ in range(int(sys.argv[3])):
        s.sendall(chunk)
    s.close()
elif mode == "chat":
    # A and B: A comes, B comes, A says hello, B says hi, B says how are
    # you, B leaves (optionally mid-line, "part" with no newline); A says
    # bye. Print what A saw, then what B saw.
    a = conn(); time.sleep(0.3)
    b = conn(); time.sleep(0.3)
    a.sendall(b"hello\n"); time.sleep(0.3)
    b.sendall(b"hi\n"); time.sleep(0.1)
    b.sendall(b"how are\tyou \x01\n"); time.sleep(0.3)
    if len(sys.argv) > 3:
        b.sendall(b"part"); time.sleep(0.3)
    b.shutdown(socket.SHUT_WR)
    bsaw = read_lines(b, 100, time.time() + 1.5)
    b.close(); time.sleep(0.3)
    a.shutdown(socket.SHUT_WR)
    asaw = read_lines(a, 100, time.time() + 1.5)
    sys.stdout.write("A:\n" + asaw.decode() + "B:\n" + bsaw.decode())
PY

# 1: 50 clients
serve b50 "$SOCKKIT" listen --broker 127.0.0.1 0 </dev/null
like "$(cat "$TMP/b50.err")" "^Listening on" "--broker listens (and implies -k)"
is "$(python3 "$TMP/clients.py" many "$port" 50)" 50 \
    "50 clients: each got the 49 others' lines, never its own"
is "$(wc -c <"$TMP/b50.out")" 0 "nothing goes to standard output"

# never_read QUEUE SECS: a broker with --max-queue QUEUE, a client that
# never reads, a reader and a sender of 8 MB; the reader gets every byte
# and the other is closed after SECS, saying so.
never_read() {
	rm -f "$TMP/stop"
	serve slow "$SOCKKIT" listen --broker --max-queue "$1" 127.0.0.1 0 \
	    </dev/null
	bg python3 "$TMP/clients.py" noread "$port" "$TMP/stop" >"$TMP/nr.out"
	wait_for_line "$TMP/nr.out" in 10
	bg python3 "$TMP/clients.py" reader "$port" >"$TMP/rd.out"
	wait_for_line "$TMP/rd.out" in 10
	wait_established "$port" 2
	python3 "$TMP/clients.py" sender "$port" 8
	wait_count "$TMP/rd.out" '^[0-9]+$' 1 25
	touch "$TMP/stop"
	is "$(sed -n 2p "$TMP/rd.out")" $((8 << 20)) \
	    "--max-queue $1: the reader got all 8 MB although one client never read"
	like "$(cat "$TMP/slow.err")" "not reading: [0-9,]+ bytes of the other clients' data waiting for it for $2 s \(--max-queue\): closed" \
	    "--max-queue $1: the client that never read was closed after $2 s, saying so"
}

# 2: a client that never reads; with SECS 0, closed as soon as it is full
never_read 256k/1 1
never_read 256k/0 0

# 3: --chat against ncat --chat, run side by side; user numbers aside
norm() { sed -E 's/<user[0-9]+>/<userN>/g'; }
serve chat "$SOCKKIT" listen --chat 127.0.0.1 0 </dev/null
python3 "$TMP/clients.py" chat "$port" >"$TMP/ours.txt"
if command -v ncat >/dev/null; then
	nport=$(free_port)
	bg ncat -l --chat 127.0.0.1 "$nport" </dev/null >/dev/null 2>&1
	wait_listening "$nport" 2>/dev/null || sleep 1
	python3 "$TMP/clients.py" chat "$nport" >"$TMP/ncat.txt"
	is "$(norm <"$TMP/ours.txt")" "$(norm <"$TMP/ncat.txt")" \
	    "--chat: what both clients saw is what ncat --chat shows"
else
	skip "needs ncat"
fi
# the numbers: A is user1, B user2, in the order they came
like "$(cat "$TMP/ours.txt")" "<announce> 127.0.0.1 is connected as <user2>.
<announce> already connected: 127.0.0.1 as <user1>." \
    "--chat announces a join with who was there"
like "$(cat "$TMP/ours.txt")" "<user2> how are	you \\\\001" \
    "--chat: a control character is written in octal, a tab kept"
like "$(cat "$TMP/ours.txt")" "<announce> <user2> is disconnected." \
    "--chat announces a leave"

# 4: a client that leaves mid-line: its part is passed on, then its leave
python3 "$TMP/clients.py" chat "$port" midline >"$TMP/mid.txt"
like "$(cat "$TMP/mid.txt")" "<user4> part
<announce> <user4> is disconnected." \
    "a line cut by a leave is passed on with a newline, then the leave"
done_testing
