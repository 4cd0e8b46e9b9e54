#!/bin/bash
# tests/exec.sh: listen and connect --exec / --sh-exec.  With -k, 20
# clients at once each get their own child (its output, its SOCKKIT_*
# environment naming that client), and no child is left a zombie; at
# --max-conns the rest wait; --allow/--deny are applied before anything
# runs; as root, --exec without --user or --no-drop is refused; ncat and
# nc as clients; connect --exec exits with its child's status; --trace
# draws the child's start and end.
. "$srcdir/lib.sh"
need_cmd python3 nc ss

if [ "$(id -u)" = 0 ]; then
	priv="--user nobody"
else
	priv=
fi

# The clients, in Python: "many N PORT" connects N at once, each sends
# its own port and reads to the end; prints one line per client:
# "OK" when what came back names that client, else what came.
cat >"$TMP/clients.py" <<'PY'
import os, socket, sys, threading, time
socket.setdefaulttimeout(20)
if sys.argv[1] == "hold":
    # hold PORT FILE: connect, then close once FILE exists (20 s at most)
    s = socket.create_connection(("127.0.0.1", int(sys.argv[2])))
    t = time.time() + 20
    while not os.path.exists(sys.argv[3]) and time.time() < t:
        time.sleep(0.05)
    sys.exit(0)
n, port = int(sys.argv[2]), int(sys.argv[3])
res = [None] * n
socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(n)]
def one(i):
    s = socks[i]
    me = s.getsockname()[1]
    s.sendall(b"%d\n" % me)
    data = b""
    while True:
        b = s.recv(4096)
        if not b:
            break
        data += b
    f = data.decode().split()
    # REMOTE_ADDR REMOTE_PORT LOCAL_ADDR LOCAL_PORT PROTO PID LINE
    want = ["127.0.0.1", str(me), "127.0.0.1", str(port), "tcp"]
    ok = len(f) == 7 and f[:5] == want and f[6] == str(me)
    res[i] = ("OK " + f[5]) if ok else "BAD " + repr(data)
ts = [threading.Thread(target=one, args=(i,)) for i in range(n)]
for t in ts: t.start()
for t in ts: t.join()
print("\n".join(res))
PY

env_cmd='echo $SOCKKIT_REMOTE_ADDR $SOCKKIT_REMOTE_PORT $SOCKKIT_LOCAL_ADDR $SOCKKIT_LOCAL_PORT $SOCKKIT_PROTO $$; read l; echo $l'

# children PID: how many children PID has now (zombies too), and how many
# of them are zombies, from /proc.
children() {
	_all=0 _z=0
	for _s in /proc/[0-9]*/stat; do
		{ read -r _p _c _st _pp _rest <"$_s"; } 2>/dev/null || continue
		[ "$_pp" = "$1" ] || continue
		_all=$((_all + 1))
		[ "$_st" = Z ] && _z=$((_z + 1))
	done
	echo "$_all $_z"
}
no_children() { [ "$(children "$1")" = "0 0" ]; }

# 1: as root without --user or --no-drop: refused, nothing run
if [ "$(id -u)" = 0 ]; then
	"$SOCKKIT" listen --exec cat 127.0.0.1 0 </dev/null >"$TMP/root.out" \
	    2>"$TMP/root.err"
	is "$?" 2 "--exec as root without --user or --no-drop: usage error"
	like "$(cat "$TMP/root.err")" "--exec as root would run cat as root.*--user NAME.*--no-drop" \
	    "the refusal names --user and --no-drop"
else
	skip "not root: the root refusal cannot be seen"
	skip "not root"
fi

# 2: -k, 20 clients at once: each its own child and environment
serve k "$SOCKKIT" listen -k -v $priv --sh-exec "$env_cmd" 127.0.0.1 0 </dev/null
like "$(sed -n 2p "$TMP/k.err")" "^Running sh -c '.*' for every client$" \
    "after the Listening line: Running PROG for every client"
python3 "$TMP/clients.py" many 20 "$port" >"$TMP/many.out" 2>&1
is "$(grep -c '^OK' "$TMP/many.out")" 20 \
    "20 clients at once: each got its own child's output and environment"
is "$(awk '/^OK/ { print $2 }' "$TMP/many.out" | sort -u | wc -l)" 20 \
    "20 distinct child processes"
wait_until 10 no_children "$pid"
is "$(children "$pid")" "0 0" "every child reaped: no zombie left (/proc)"
is "$(grep -c 'exited 0, for 127.0.0.1 port' "$TMP/k.err")" 20 \
    "-v says how each child ended"
python3 "$TMP/clients.py" many 1 "$port" >"$TMP/one.out" 2>&1
like "$(cat "$TMP/one.out")" "^OK" "a client after the 20 is served too"

# 3: --max-conns 2: two clients hold their children, the third waits
serve mc "$SOCKKIT" listen -k $priv --max-conns 2 --sh-exec 'cat' \
    127.0.0.1 0 </dev/null
bg python3 "$TMP/clients.py" hold "$port" "$TMP/go1"
bg python3 "$TMP/clients.py" hold "$port" "$TMP/go2"
wait_until 10 eval '[ "$(children '"$pid"' | cut -d" " -f1)" = 2 ]'
echo third | timeout 20 nc -N 127.0.0.1 "$port" >"$TMP/third.out" &
third=$!
sleep 0.5
is "$(children "$pid" | cut -d' ' -f1)" 2 \
    "--max-conns 2: a third client gets no child while two run"
comms=$(for s in /proc/[0-9]*/stat; do
	{ read -r p c st pp rest <"$s"; } 2>/dev/null || continue
	[ "$pp" = "$pid" ] && echo "$c"
done | sort -u)
is "$comms" "(cat)" "--sh-exec 'cat', a plain command line, runs cat without a shell"
touch "$TMP/go1"
wait_pid "$third" 10 >/dev/null
is "$(cat "$TMP/third.out")" third "once a child exits, the waiting client is served"
touch "$TMP/go2"

# 4: --deny: checked before anything runs
serve deny "$SOCKKIT" listen -k $priv --deny 127.0.0.2 \
    --sh-exec "read l; touch $TMP/ran; echo ran" 127.0.0.1 0 </dev/null
chmod 777 "$TMP"
echo x | nc -N -s 127.0.0.2 127.0.0.1 "$port" >"$TMP/denied.out" 2>&1
wait_for_line "$TMP/deny.err" 'denied' 5
ok $([ ! -e "$TMP/ran" ]; echo $?) "--deny: the program never ran for a denied client"
like "$(cat "$TMP/deny.err")" "connection from 127.0.0.2 port [0-9]+ denied \(--deny 127.0.0.2\)" \
    "the refusal names the client and the rule"
is "$(echo x | nc -N 127.0.0.1 "$port")" ran "an allowed client runs it"

# 5: ncat and nc as clients
serve cat "$SOCKKIT" listen -k $priv --exec 'tr a-z A-Z' 127.0.0.1 0 </dev/null
if command -v ncat >/dev/null; then
	is "$(echo hello | timeout 10 ncat 127.0.0.1 "$port")" HELLO \
	    "ncat as a client: the child's output"
else
	skip "needs ncat"
fi
is "$(echo hello | timeout 10 nc -N 127.0.0.1 "$port")" HELLO \
    "nc as a client: the child's output"

# 6: without -k: one client, and the child's exit status is listen's
serve once "$SOCKKIT" listen $priv --sh-exec 'echo bye; exit 5' \
    127.0.0.1 0 </dev/null
got=$(nc -N 127.0.0.1 "$port" </dev/null)
wait_pid "$pid" 10
is "$?" 5 "listen --exec without -k: exits with the child's status"
is "$got" bye "and the client got its output"

# 7: connect --exec: the environment, the child's status is connect's
cport=$(free_port)
bg sh -c "echo peer | nc -l 127.0.0.1 $cport >$TMP/peer.out"
ppid_nc=$!
wait_until 5 eval "ss -Htln 'sport = :$cport' | grep -q ."
"$SOCKKIT" connect $priv --sh-exec \
    'read l; echo "$l $SOCKKIT_REMOTE_PORT $SOCKKIT_PROTO"; exit 7' \
    127.0.0.1 "$cport" </dev/null >"$TMP/c.out" 2>"$TMP/c.err"
is "$?" 7 "connect --sh-exec: exits with the child's status"
wait_pid "$ppid_nc" 5
is "$(cat "$TMP/peer.out")" "peer $cport tcp" \
    "the child read the peer and knew its port and protocol"
"$SOCKKIT" connect $priv --sh-exec 'true' 127.0.0.1 "$cport" \
    </dev/null >/dev/null 2>&1
is "$?" 1 "connect refused: exit 1 (nothing run)"

# 8: udp -l --exec: a child for each sender, its environment
serve udp "$SOCKKIT" udp -l $priv -v \
    --sh-exec 'echo $SOCKKIT_PROTO $SOCKKIT_REMOTE_PORT; exec cat' \
    127.0.0.1 0 </dev/null
like "$(sed -n 2p "$TMP/udp.err")" "^Running sh -c '.*' for every sender$" \
    "udp -l --exec: Running PROG for every sender"
python3 - "$port" >"$TMP/udp.out" 2>&1 <<'PY'
import socket, sys
p = int(sys.argv[1])
for i in range(3):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(5)
    s.connect(("127.0.0.1", p))
    s.send(b"hello %d" % i)
    first = s.recv(100)
    s.send(b"again %d" % i)
    got = [first, s.recv(100), s.recv(100)]
    me = s.getsockname()[1]
    ok = got == [b"udp %d\n" % me, b"hello %d" % i, b"again %d" % i]
    print("OK" if ok else "BAD %r" % got)
PY
is "$(grep -c '^OK' "$TMP/udp.out")" 3 \
    "three senders: each its own child, its port in SOCKKIT_REMOTE_PORT, its datagrams"
is "$(grep -c 'running sh -c' "$TMP/udp.err")" 3 "one child per sender"

# 9: --trace: the child's start and end on the ladder's call axis
if [ "$(id -u)" = 0 ]; then
	serve tr "$SOCKKIT" listen --trace --linger-capture 200 $priv \
	    --sh-exec 'echo hi; exit 3' 127.0.0.1 0 </dev/null
	got=$(nc -N 127.0.0.1 "$port" </dev/null)
	wait_pid "$pid" 10
	is "$?" 3 "--trace: the child's status still"
	like "$(cat "$TMP/tr.err")" "this host: fork\(\)\+exec\(sh -c 'echo hi; exit 3'\) = pid [0-9]+" \
	    "--trace draws the child's start"
	like "$(cat "$TMP/tr.err")" "this host: child [0-9]+ \(sh -c 'echo hi; exit 3'\) exited 3" \
	    "--trace draws the child's end with its status"
else
	skip_n 3 "--trace needs root"
fi
done_testing
