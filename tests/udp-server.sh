# tests/udp-server.sh: "sockkit udp -l" with nc -u, socat and sockkit
# clients: every sender heard and answered, relay, --to-all, --deny.
. "${srcdir:=$(cd "$(dirname "$0")" && pwd)}/udp-lib.sh"
need_cmd nc socat python3 ss

plan 31

# Port 0: a real port in "Listening on", IPv4 and IPv6 both (dual stack).
udp_server relay -v 0
like "$port" '^[1-9][0-9]*$' "port 0: 'Listening on' names the real port"
like "$(head -n 1 "$TMP/relay.err")" "^Listening on :: $port\$" \
    "'Listening on ADDRESS PORT' on stderr"
printf 'nc4\n' | nc -u -w 1 127.0.0.1 "$port"
printf 'nc6\n' | nc -6 -u -w 1 ::1 "$port"
printf 'socat4\n' | socat -u - UDP:127.0.0.1:"$port"
printf 'socat6\n' | socat -u - UDP6:[::1]:"$port"
wait_for_line "$TMP/relay.out" '^socat6$' 3
is "$(cat "$TMP/relay.out")" "nc4
nc6
socat4
socat6" "nc -u and socat over IPv4 and IPv6: every datagram to stdout"
like "$(grep 'datagram from' "$TMP/relay.err" | head -n 2 | tail -n 1)" \
    '^sockkit: datagram from ::1 port [0-9]+: 4 bytes$' \
    "-v: each datagram's sender and size"

# Sizes 0, 1, 1472, 65507 arrive whole.
for n in 1 1472 65507; do
	head -c $n /dev/urandom >"$TMP/d$n"
	socat -u -b 70000 OPEN:"$TMP/d$n" UDP:127.0.0.1:"$port"
done
python3 -c 'import socket, sys; socket.socket(socket.AF_INET,
    socket.SOCK_DGRAM).sendto(b"", ("127.0.0.1", int(sys.argv[1])))' "$port"
"$SOCKKIT" udp -w 0 --data '' ::1 "$port"
wait_for_line "$TMP/relay.err" ': 0 bytes$' 15
sleep 0.2
is "$(sizes "$TMP/relay.err")" "4 4 7 7 1 1472 65507 0 0" \
    "datagrams of 1, 1472, 65507 and 0 bytes, as they were sent"
cat "$TMP/d1" "$TMP/d1472" "$TMP/d65507" >"$TMP/dall"
tail -c $((1 + 1472 + 65507)) "$TMP/relay.out" | cmp -s - "$TMP/dall"
is "$?" 0 "their bytes reach stdout unchanged"

# Echo and time: three senders at once (nc, socat, sockkit), each
# answered with its own datagram.
for mode in echo time; do
	udp_server $mode --mode $mode 127.0.0.1 0
	printf 'from-nc\n' | nc -u -w 2 127.0.0.1 "$port" >"$TMP/$mode.nc" &
	a=$!
	printf 'from-socat\n' | socat -t 2 - UDP:127.0.0.1:"$port" \
	    >"$TMP/$mode.socat" &
	b=$!
	printf 'from-sockkit\n' | "$SOCKKIT" udp -w 2 127.0.0.1 "$port" \
	    >"$TMP/$mode.sockkit" &
	c=$!
	wait_pid $a 10; wait_pid $b 10; wait_pid $c 10
	pre=
	[ $mode = time ] && pre='\[(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 1-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-6][0-9] [0-9]{4}\] '
	for who in nc socat sockkit; do
		got=$(cat "$TMP/$mode.$who")
		like "$got" "^${pre}from-$who\$" "$mode: $who's sender got its own answer"
	done
	kill "$spid" 2>/dev/null
done
udp_server bin --mode echo ::1 0
python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(256)) * 4)' \
    >"$TMP/bytes"
"$SOCKKIT" udp --chunk -w 0.5 ::1 "$port" <"$TMP/bytes" >"$TMP/bytes.back"
cmp -s "$TMP/bytes" "$TMP/bytes.back"
is "$?" 0 "--chunk: all 256 byte values through echo and back unchanged"
kill "$spid"

# A burst that queues while the server is stopped comes in full batches,
# answered as UDP_SEGMENT trains: runs of one size cut where it changes.
udp_server burst --mode echo 127.0.0.1 0
got=$(python3 - "$port" "$spid" <<'PY'
import os, signal, socket, sys
port, pid = int(sys.argv[1]), int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
s.settimeout(5)
sizes = [200] * 30 + [50] + [300] * 20 + [1] + [1472] * 11 + [0]
sent = [os.urandom(n) for n in sizes]
os.kill(pid, signal.SIGSTOP)
for d in sent:
    s.sendto(d, ("127.0.0.1", port))
os.kill(pid, signal.SIGCONT)
back = []
try:
    while len(back) < len(sent):
        back.append(s.recv(2048))
except socket.timeout:
    pass
bad = [i for i, d in enumerate(sent) if i >= len(back) or back[i] != d]
print("%d of %d back, first wrong: %s" % (len(back), len(sent),
      bad[0] if bad else "none"))
PY
)
is "$got" "64 of 64 back, first wrong: none" \
    "a burst of 64 in full batches: every echo whole, in order"
kill "$spid"
like "$(cat "$TMP/time.sockkit")" '^\[[A-Z][a-z]{2} [A-Z][a-z]{2} [ 123][0-9] ' \
    "time: the prefix is in ctime form, as in listen --mode time"

# Relay: each stdin line goes to the most recent sender; --to-all to all.
for all in "" --to-all; do
	rm -f "$TMP/fifo"; mkfifo "$TMP/fifo"
	# Not through bg: an & inside a function would take /dev/null as stdin.
	"$SOCKKIT" udp -l $all 127.0.0.1 0 <>"$TMP/fifo" >"$TMP/r.out" \
	    2>"$TMP/r.err" &
	spid=$!; _pids="$_pids $spid"
	port=$(listen_port "$TMP/r.err")
	bg "$SOCKKIT" udp -w 30 --data "A
" 127.0.0.1 "$port" >"$TMP/a.out"; apid=$!
	wait_for_line "$TMP/r.out" '^A$' 15
	bg "$SOCKKIT" udp -w 30 --data "B
" 127.0.0.1 "$port" >"$TMP/b.out"; bpid=$!
	wait_for_line "$TMP/r.out" '^B$' 15
	timeout 15 sh -c 'echo "$1" >"$2"' - "to-${all:-recent}" "$TMP/fifo"
	wait_for_line "$TMP/b.out" "^to-" 15
	[ -n "$all" ] && wait_for_line "$TMP/a.out" "^to-" 15
	# Without --to-all: time for a wrong copy to A to show up.
	sleep 0.3
	if [ -z "$all" ]; then
		is "$(cat "$TMP/a.out"):$(cat "$TMP/b.out")" ":to-recent" \
		    "relay: a stdin line goes to the most recent sender only"
	else
		is "$(cat "$TMP/a.out"):$(cat "$TMP/b.out")" "to---to-all:to---to-all" \
		    "--to-all: a stdin line goes to every sender"
	fi
	kill "$apid" "$bpid" "$spid" 2>/dev/null
done

# Relay: a line read before any sender waits for the first one; with
# nothing to send, -q ends the server after EOF.
(printf 'early\n'; sleep 5) | "$SOCKKIT" udp -l 127.0.0.1 0 >"$TMP/e.out" \
    2>"$TMP/e.err" &
spid=$!; _pids="$_pids $spid"
port=$(listen_port "$TMP/e.err")
out=$("$SOCKKIT" udp -w 1 --data "hi
" 127.0.0.1 "$port")
is "$out" "early" "relay: a line read before any sender goes to the first"
kill "$spid" 2>/dev/null
"$SOCKKIT" udp -l -q 0.2 127.0.0.1 0 </dev/null 2>/dev/null &
qpid=$!
wait_pid "$qpid" 5
is "$?" 0 "relay -q: no sender, input at EOF: the server ends, exit 0"

# --deny: dropped and counted, the others served.
udp_server deny -v --mode echo --deny 127.0.0.0/8 0
out=$("$SOCKKIT" udp -z -w 0.5 127.0.0.1 "$port")
is "$?" 1 "--deny: no answer to a denied sender"
like "$out" "open\|filtered: no reply" "--deny: the sender sees only silence"
"$SOCKKIT" udp -w 0.2 --data x 127.0.0.1 "$port"
out=$("$SOCKKIT" udp -z -w 2 ::1 "$port")
is "$?" 0 "--deny: other senders are answered"
like "$(cat "$TMP/deny.err")" \
    "datagram from 127\.0\.0\.1 port [0-9]+ dropped \(--deny 127\.0\.0\.0/8\); 2 dropped so far" \
    "--deny -v: each drop is reported and counted"
kill "$spid"; wait_pid "$spid" 5
like "$(tail -n 1 "$TMP/deny.err")" \
    "^sockkit: udp: 1 datagrams received, 1 answered, 2 dropped by --allow/--deny" \
    "--deny -v: the count at the end"

# --allow: only that block.
udp_server allow -v --mode echo --allow ::1 0
"$SOCKKIT" udp -z -w 0.5 127.0.0.1 "$port" >/dev/null
is "$?" 1 "--allow ::1: 127.0.0.1 is not answered"
like "$(cat "$TMP/allow.err")" "dropped \(not in any --allow block\)" \
    "--allow: the drop names the reason"
kill "$spid"

# Failure paths: port in use; server-only options on a client.
udp_server busy 127.0.0.1 0
err=$("$SOCKKIT" udp -l 127.0.0.1 "$port" 2>&1)
is "$?" 1 "a busy port: exit 1"
is "$err" "sockkit: udp: listen 127.0.0.1 port $port: Address already in use (another socket has it: stop that program or choose another port)" \
    "a busy port: named, with the reason"
kill "$spid"
err=$("$SOCKKIT" udp --mode echo 127.0.0.1 9 2>&1)
like "$?:$err" "^2:sockkit: udp: --mode, --to-all, --allow, --deny and --unlink are for the server" \
    "--mode without -l: usage error"
err=$("$SOCKKIT" udp -l --mode bogus 0 2>&1)
like "$?:$err" "^2:sockkit: udp: --mode 'bogus': expected relay, echo or time" \
    "--mode bogus: usage error naming it"
err=$("$SOCKKIT" udp -l --deny 10.0.0.0/33 0 2>&1)
like "$?:$err" "^2:sockkit: udp: --deny: bad prefix length" \
    "--deny with a bad block: usage error"

done_testing
