#!/bin/bash
# tests/faults.sh: sockkit under faults: a peer that resets mid-transfer,
# writes to a closed peer and to a closed pipe (never killed by SIGPIPE),
# a storm of harmless signals during a 64 MiB relay, EINTR storms over the
# relay, the echo server and the probe, stdout closed or a
# pipe that fills up, a full disk under --write, SIGINT during --trace.
. "$srcdir/lib.sh"
need_root
need_cmd python3 tcpdump tshark unshare mount
plan 54

# A peer of our own, in Python: see the modes below.
cat >"$TMP/fp.py" <<'EOF'
import fcntl, socket, struct, sys, termios, time
from peer import reset as rst, server	# tests/peer.py
mode = sys.argv[1]
if mode == "pipe-reader":
    # Wait (10 s at most) until the pipe on stdin is full, then read it all.
    n = bytearray(4)
    for _ in range(1000):
        fcntl.ioctl(0, termios.FIONREAD, n)
        if struct.unpack("i", n)[0] >= 65536:
            break
        time.sleep(0.01)
    sys.stderr.write("full at %d\n" % struct.unpack("i", n)[0])
    out = open(sys.argv[2], "wb")
    while True:
        d = sys.stdin.buffer.read1(65536)
        if not d:
            break
        out.write(d)
    sys.exit(0)
if mode == "rst-client":
    # Connect to PORT, read 1 MiB, reset.
    c = socket.create_connection(("127.0.0.1", int(sys.argv[2])), 20)
    n = 0
    while n < 1 << 20:
        d = c.recv(65536)
        if not d:
            break
        n += len(d)
    rst(c)
    sys.exit(0)
c = server()
if mode == "rst-server":
    # Read 1 MiB, then reset.
    n = 0
    while n < 1 << 20:
        d = c.recv(65536)
        if not d:
            break
        n += len(d)
    rst(c)
elif mode == "close-server":
    # Close at once without reading: data that comes then is answered by RST.
    c.close()
    time.sleep(5)
EOF
FP="env PYTHONPATH=$(cd "$srcdir" && pwd) $PYTHON $TMP/fp.py"

head -c 67108864 /dev/urandom >"$TMP/64m"

# send_to_peer MODE WHAT: connect sends 64 MiB to fp.py MODE, which
# resets or closes: exit 1 (not SIGPIPE), the reset named.
send_to_peer() {
	bg $FP "$1" 2>"$TMP/$1.err"
	port=$(listen_port "$TMP/$1.err")
	timeout 30 "$SOCKKIT" connect 127.0.0.1 "$port" <"$TMP/64m" \
	    >/dev/null 2>"$TMP/c.err"
	is $? 1 "connect, $2: exit 1, not killed by SIGPIPE"
	like "$(cat "$TMP/c.err")" \
	    "^sockkit: (send to|recv from) 127\.0\.0\.1 port $port: Connection reset by peer$" \
	    "connect, $2: says so"
}

# Peer reset mid-transfer: connect sending, listen sending.
send_to_peer rst-server "peer resets mid-transfer"
bg "$SOCKKIT" listen 127.0.0.1 0 <"$TMP/64m" >/dev/null 2>"$TMP/l.err"
pid=$!
port=$(listen_port "$TMP/l.err")
timeout 20 $FP rst-client "$port"
wait_pid $pid 20
is $? 1 "listen, client resets mid-transfer: exit 1"
like "$(cat "$TMP/l.err")" \
    "sockkit: (send to|recv from) 127\.0\.0\.1 port [0-9]+: Connection reset by peer$" \
    "listen, client resets mid-transfer: says so"

# SIGPIPE: sending to a peer that has closed; stdout a closed pipe.
send_to_peer close-server "sending to a closed peer"
bg "$SOCKKIT" listen 127.0.0.1 0 <"$TMP/64m" >/dev/null 2>"$TMP/l.err"
port=$(listen_port "$TMP/l.err")
timeout 30 "$SOCKKIT" connect 127.0.0.1 "$port" </dev/null 2>"$TMP/c.err" |
    head -c 1 >/dev/null
is "${PIPESTATUS[0]}" 1 "connect, stdout a closed pipe: exit 1, not SIGPIPE"
is "$(cat "$TMP/c.err")" "sockkit: write to stdout: Broken pipe" \
    "connect, stdout a closed pipe: says so"

# A storm of signals sockkit does not act on, during a 64 MiB relay both
# ways of which must arrive exactly; SIGSTOP and SIGCONT in between.
# (In an ASan build the leak check at exit stops the world with ptrace,
# which signals arriving all the while can hang: it is off for these two.)
NOLEAK="env ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
bg $NOLEAK "$SOCKKIT" listen 127.0.0.1 0 <"$TMP/64m" >"$TMP/l.out" \
    2>"$TMP/l.err"
lpid=$!
port=$(listen_port "$TMP/l.err")
bg $NOLEAK "$SOCKKIT" connect 127.0.0.1 "$port" <"$TMP/64m" \
    >"$TMP/c.out" 2>"$TMP/c.err"
cpid=$!
sent=0
for i in $(seq 20000); do
	kill -0 $cpid 2>/dev/null || kill -0 $lpid 2>/dev/null || break
	for sig in WINCH CHLD URG CONT; do
		kill -$sig $cpid $lpid 2>/dev/null && sent=$((sent + 1))
	done
	if [ $((i % 50)) = 0 ]; then
		kill -STOP $cpid 2>/dev/null
		kill -CONT $cpid 2>/dev/null
	fi
done
echo "# $sent signals sent during the relay"
wait_pid $cpid 60
is $? 0 "signal storm: connect ends well"
wait_pid $lpid 60
is $? 0 "signal storm: listen ends well"
ok $([ $sent -ge 100 ]; echo $?) "signal storm: signals did arrive ($sent)"
is "$(digest "$TMP/c.out")" "$(digest "$TMP/64m")" \
    "signal storm: 64 MiB exact to connect"
is "$(digest "$TMP/l.out")" "$(digest "$TMP/64m")" \
    "signal storm: 64 MiB exact to listen"

# EINTR for real: with SOCKKIT_TEST_EINTR, SIGUSR1 is caught without
# SA_RESTART (src/sockkit.c), so each one that lands in ppoll, epoll_wait,
# connect or accept makes it fail with EINTR.  A storm of them over the
# relay, the epoll server and the probe engine; every one ends well, with
# every byte, and says how many it caught.
EINTR="env SOCKKIT_TEST_EINTR=1 ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
# usr1_caught PID: wait (2 s) until PID catches SIGUSR1 (SigCgt bit 10).
usr1_caught() {
	for _i in $(seq 200); do
		_m=$(awk '$1 == "SigCgt:" { print $2 }' /proc/$1/status 2>/dev/null)
		[ -n "$_m" ] && [ $(( 0x$_m & 0x200 )) != 0 ] && return 0
		sleep 0.01
	done
	return 1
}
# usr1_storm PID...: SIGUSR1 to them until all have ended (bounded).
usr1_storm() {
	for _p in "$@"; do usr1_caught "$_p"; done
	for _i in $(seq 200000); do
		kill -USR1 "$@" 2>/dev/null || break
	done
}
# caught FILE: the count in "sockkit: test: N SIGUSR1 caught".
caught() { sed -n 's/^sockkit: test: \([0-9]*\) SIGUSR1 caught$/\1/p' "$1"; }
bg $EINTR "$SOCKKIT" listen 127.0.0.1 0 <"$TMP/64m" >"$TMP/l.out" \
    2>"$TMP/l.err"
lpid=$!
port=$(listen_port "$TMP/l.err")
# connect's stdin comes in 1 MiB pieces 10 ms apart, so that the relay
# lasts (and waits in ppoll) while the signals come.
# (The writer first: opening a FIFO waits for the other end.)
mkfifo "$TMP/slow"
( for _i in $(seq 0 63); do
	dd if="$TMP/64m" bs=1048576 skip=$_i count=1 status=none
	sleep 0.01
done ) >"$TMP/slow" &
bg $EINTR "$SOCKKIT" connect 127.0.0.1 "$port" <"$TMP/slow" \
    >"$TMP/c.out" 2>"$TMP/c.err"
cpid=$!
usr1_storm $cpid $lpid
wait_pid $cpid 60; crc=$?
wait_pid $lpid 60; lrc=$?
is "$crc $lrc" "0 0" "EINTR storm: connect and listen end well"
echo "# caught: connect $(caught "$TMP/c.err"), listen $(caught "$TMP/l.err")"
ok $([ "$(caught "$TMP/c.err")" -gt 0 ] && [ "$(caught "$TMP/l.err")" -gt 0 ]; echo $?) \
    "EINTR storm: both caught signals while relaying"
is "$(digest "$TMP/c.out") $(digest "$TMP/l.out")" \
    "$(digest "$TMP/64m") $(digest "$TMP/64m")" "EINTR storm: 64 MiB exact both ways"
bg $EINTR "$SOCKKIT" listen -k --mode echo 127.0.0.1 0 2>"$TMP/e.err"
epid=$!
port=$(listen_port "$TMP/e.err")
usr1_caught $epid
( for _i in $(seq 20000); do kill -USR1 $epid 2>/dev/null || break; done ) &
spid=$!
out=$(head -c 8388608 "$TMP/64m" | timeout 60 "$SOCKKIT" connect 127.0.0.1 "$port" | digest)
kill $spid 2>/dev/null; wait $spid 2>/dev/null
is "$out" "$(head -c 8388608 "$TMP/64m" | digest)" \
    "EINTR storm: listen -k --mode echo sends 8 MiB back exactly"
kill -INT $epid; wait_pid $epid 10
ok $([ "$(caught "$TMP/e.err")" -gt 0 ]; echo $?) \
    "EINTR storm: the epoll server caught $(caught "$TMP/e.err") signals"
bg "$SOCKKIT" listen -k --mode discard 127.0.0.1 0 2>"$TMP/d.err"
dport=$(listen_port "$TMP/d.err")
bg $EINTR "$SOCKKIT" probe -a -p "1-3000,$dport" 127.0.0.1 >"$TMP/p.out" \
    2>"$TMP/p.err"
ppid=$!
usr1_storm $ppid
wait_pid $ppid 60
calm=$("$SOCKKIT" probe -a -p "1-3000,$dport" 127.0.0.1 | tail -n 1)
like "$(grep "^$dport/tcp" "$TMP/p.out")" "^$dport/tcp +open" \
    "EINTR storm: probe finds the open port ($(caught "$TMP/p.err") caught)"
is "$(tail -n 1 "$TMP/p.out")" "$calm" "EINTR storm: probe's counts as without it"

# stdout closed: the client's data cannot be written there, so exit 1
# with a message (it vanished into /dev/null before); nothing goes back
# to the peer.
head -c 1048576 /dev/urandom >"$TMP/1m"
bg "$SOCKKIT" listen 127.0.0.1 0 </dev/null >&- 2>"$TMP/l.err"
lpid=$!
port=$(listen_port "$TMP/l.err")
timeout 20 "$SOCKKIT" connect 127.0.0.1 "$port" <"$TMP/1m" >"$TMP/c.out" \
    2>/dev/null
wait_pid $lpid 10
is "$?:$(grep -c '^sockkit: write to stdout: Bad file descriptor$' \
    "$TMP/l.err")" 1:1 "listen, stdout closed: exit 1, says so"
is "$(wc -c <"$TMP/c.out")" 0 "listen, stdout closed: nothing back to the peer"

# A full pipe: the reader waits until the pipe is full, then takes it all.
bg "$SOCKKIT" listen 127.0.0.1 0 <"$TMP/64m" >/dev/null 2>"$TMP/l.err"
port=$(listen_port "$TMP/l.err")
timeout 60 "$SOCKKIT" connect 127.0.0.1 "$port" </dev/null 2>"$TMP/c.err" |
    $FP pipe-reader "$TMP/p.out" 2>"$TMP/p.err"
is "${PIPESTATUS[0]}" 0 "full pipe: connect waits, exit 0"
full=$(sed -n 's/^full at //p' "$TMP/p.err")
ok $([ "${full:-0}" -ge 65536 ]; echo $?) \
    "full pipe: the reader saw the pipe full (${full:-0} bytes)"
is "$(digest "$TMP/p.out")" "$(digest "$TMP/64m")" \
    "full pipe: all 64 MiB arrive once it is read"

# whole: whether a pcap file ends exactly after its last record (Python).
whole='import struct, sys
d = open(sys.argv[1], "rb").read()
o, n = 24, 0
while o + 16 <= len(d):
    o += 16 + struct.unpack("<IIII", d[o:o + 16])[2]
    n += 1
print("whole" if o == len(d) and n > 0 else "cut at %d of %d" % (o, len(d)))'

# A full disk under --write: a 64 KiB tmpfs in a private mount namespace
# (which a container may not allow).
if can_mountns; then
	mkdir "$TMP/small"
	bg "$SOCKKIT" listen 127.0.0.1 0 </dev/null >"$TMP/d.out" 2>"$TMP/d.err"
	dpid=$!
	port=$(listen_port "$TMP/d.err")
	head -c 2097152 /dev/urandom >"$TMP/2m"
	timeout 60 unshare -m sh -c 'mount -t tmpfs -o size=64k tmpfs "$1" &&
	    "$2" connect --write "$1/f.pcap" 127.0.0.1 "$3" <"$4" 2>"$5"
	    echo $? >"$6"; cp "$1/f.pcap" "$7"' sh "$TMP/small" "$SOCKKIT" \
	    "$port" "$TMP/2m" "$TMP/w.err" "$TMP/w.rc" "$TMP/w.pcap"
	is "$(cat "$TMP/w.rc")" 1 "--write on a full disk: exit 1"
	is "$(cat "$TMP/w.err")" "sockkit: connect: --write $TMP/small/f.pcap: No space left on device: the file ends at the last whole packet" \
	    "--write on a full disk: one line says so"
	wait_pid $dpid 10
	is "$(digest "$TMP/d.out")" "$(digest "$TMP/2m")" \
	    "--write on a full disk: the connection still carried every byte"
	tcpdump -nn -r "$TMP/w.pcap" >"$TMP/td.out" 2>"$TMP/td.err"
	is "$?/$(grep -c truncated "$TMP/td.err")" "0/0" \
	    "tcpdump reads the cut file without error"
	tshark -r "$TMP/w.pcap" >/dev/null 2>"$TMP/ts.err"
	is "$?/$(grep -vc 'Running as user' "$TMP/ts.err")" "0/0" \
	    "tshark reads the cut file without error"
	is "$($PYTHON -c '
import struct, sys
d = open(sys.argv[1], "rb").read()
o, n = 24, 0
while o + 16 <= len(d):
    o += 16 + struct.unpack("<IIII", d[o:o + 16])[2]
    n += 1
print("whole" if o == len(d) and n > 0 else "cut at %d of %d" % (o, len(d)))
' "$TMP/w.pcap")" whole "the file ends exactly after its last record"

	# The same full disk under the other commands that write: listen (the
	# server's end of a 2 MiB transfer), udp (a 2 MiB stream of datagrams)
	# and raw icmp (a flood).  SCRIPT runs in the mount namespace with $1 the
	# sockkit binary, $2 the --write path, $3 a free port, $4 the 2 MiB file;
	# it leaves sockkit's exit status in $TMP/f.rc and its stderr in
	# $TMP/f.err.
	on_full_disk() {
		_what=$1 _script=$2
		rm -f "$TMP/f.rc" "$TMP/f.err" "$TMP/f.pcap"
		timeout 60 unshare -m sh -c 'mount -t tmpfs -o size=64k tmpfs "$1" &&
		    sh -c "$2" sh "$3" "$1/f.pcap" "$4" "$5" 2>"$6"; echo $? >"$7"
		    cp "$1/f.pcap" "$8"' sh "$TMP/small" "$_script" "$SOCKKIT" \
		    "$(free_port)" "$TMP/2m" "$TMP/f.err" "$TMP/f.rc" "$TMP/f.pcap"
		is "$(cat "$TMP/f.rc")/$(grep -c 'No space left on device: the file ends at the last whole packet$' "$TMP/f.err")" \
		    "1/1" "$_what --write on a full disk: exit 1, said in one line"
		is "$($PYTHON -c "$whole" "$TMP/f.pcap")" whole \
		    "$_what --write on a full disk: the file ends after its last record"
	}
	on_full_disk listen '"$1" listen --write "$2" 127.0.0.1 "$3" >/dev/null &
	    l=$!; i=0
	    while ! ss -Hltn "sport = :$3" | grep -q . && [ $i -lt 100 ]; do
		sleep 0.05; i=$((i + 1)); done
	    "$1" connect 127.0.0.1 "$3" <"$4" >/dev/null 2>&1; wait $l'
	bg "$SOCKKIT" udp -l 127.0.0.1 0 >/dev/null 2>"$TMP/ud.err"
	uport=$(listen_port "$TMP/ud.err")
	on_full_disk udp '"$1" udp --write "$2" -q 0 127.0.0.1 '"$uport"' <"$4"'
	on_full_disk "raw icmp" '"$1" raw icmp -c 3000 -i 0 --write "$2" 127.0.0.1 >/dev/null'
else
	skip_n 12 "$mountns_why"
fi

# SIGINT during --trace: the verdict so far, a readable --write file.
mkfifo "$TMP/in"
exec 7<>"$TMP/in"
bg "$SOCKKIT" listen 127.0.0.1 0 </dev/null >"$TMP/s.out" 2>"$TMP/s.err"
port=$(listen_port "$TMP/s.err")
bg "$SOCKKIT" connect --trace --color=never --write "$TMP/ci.pcap" \
    127.0.0.1 "$port" <"$TMP/in" 2>"$TMP/ci.err" 7>&-
cpid=$!
echo hello >&7
wait_for_line "$TMP/s.out" hello 10
kill -INT $cpid
wait_pid $cpid 10
is $? 130 "SIGINT during connect --trace: dies by SIGINT (130)"
like "$(cat "$TMP/ci.err")" 'verdict: ' "connect --trace: the verdict so far"
like "$(tcpdump -nn -r "$TMP/ci.pcap" 2>/dev/null | grep -c 'Flags \[P')" \
    '^[1-9]' "connect --trace: --write holds the data packet"
bg "$SOCKKIT" listen --trace --color=never --write "$TMP/li.pcap" \
    127.0.0.1 0 </dev/null >"$TMP/li.out" 2>"$TMP/li.err"
lpid=$!
port=$(listen_port "$TMP/li.err")
bg "$SOCKKIT" connect 127.0.0.1 "$port" <"$TMP/in" >/dev/null 2>&1 7>&-
echo hello >&7
wait_for_line "$TMP/li.out" hello 10
kill -INT $lpid
wait_pid $lpid 10
is $? 130 "SIGINT during listen --trace: dies by SIGINT (130)"
like "$(cat "$TMP/li.err")" 'verdict: ' "listen --trace: the verdict so far"
like "$(cat "$TMP/li.err")" 'PSH,ACK seq=1:7 len=6' \
    "listen --trace: the ladder drawn up to the signal"
like "$(tcpdump -nn -r "$TMP/li.pcap" 2>/dev/null | grep -c 'Flags \[P')" \
    '^[1-9]' "listen --trace: --write holds the data packet"
exec 7>&-

# SIGINT during udp, probe and raw tcp --trace: each dies by the signal
# after drawing what it saw and closing its --write file whole.
# sigint_trace WHAT LINE-REGEX ARGS...: start sockkit ARGS --write, wait
# for a line of stderr that shows it under way, SIGINT, then the checks.
sigint_trace() {
	_what=$1 _re=$2; shift 2
	bg "$SOCKKIT" "$@" --write "$TMP/si.pcap" >"$TMP/si.out" 2>"$TMP/si.err"
	_p=$!
	wait_for_line "$TMP/si.err" "$_re" 10
	kill -INT $_p
	wait_pid $_p 10
	is $? 130 "SIGINT during $_what: dies by SIGINT (130)"
	is "$($PYTHON -c "$whole" "$TMP/si.pcap")" whole \
	    "SIGINT during $_what: the --write file is whole"
	like "$(cat "$TMP/si.err")" 'verdict: ' "$_what: the verdict so far"
}
bg "$SOCKKIT" udp -l --mode echo 127.0.0.1 0 2>"$TMP/ue.err"
ueport=$(listen_port "$TMP/ue.err")
mkfifo "$TMP/uin"
exec 8<>"$TMP/uin"
echo hello >&8
sigint_trace "udp --trace" 'UDP len=6' udp --trace --color=never \
    127.0.0.1 "$ueport" <"$TMP/uin"
exec 8>&-
sigint_trace "raw tcp --trace" 'SYN seq=0' raw tcp -c 5 -i 1 --trace \
    --color=never 127.0.0.1 9
# probe --trace, a port whose SYNs a namespace drops: the packets so far.
if can_netns; then
	ns=sk-fault-$$
	make_netns $ns
	ip netns exec $ns nft -f - <<-'NFT'
	table inet skf {
		chain in {
			type filter hook input priority 0;
			tcp dport 9 counter drop
		}
	}
	NFT
	bg ip netns exec $ns "$SOCKKIT" probe --trace -p 9 -w 5 --retries 0 \
	    127.0.0.1 >"$TMP/pi.out" 2>"$TMP/pi.err"
	ppid=$!
	for _ in $(seq 100); do	# until its SYN was dropped (2 s at most)
		ip netns exec $ns nft list table inet skf | grep -q 'packets [1-9]' &&
		    break
		sleep 0.02
	done
	kill -INT $ppid
	wait_pid $ppid 10
	is $? 130 "SIGINT during probe --trace: dies by SIGINT (130)"
	like "$(cat "$TMP/pi.out")" "evidence: interrupted: every packet captured so far" \
	    "probe --trace: says it was interrupted"
	like "$(cat "$TMP/pi.out")" "── SYN seq=0" "probe --trace: the unanswered SYN drawn"
	like "$(cat "$TMP/pi.err")" "^sockkit: probe: interrupted: 0 of 1 ports settled" \
	    "probe --trace: how far it got"
else
	skip_n 4 "$netns_why"
fi
done_testing
