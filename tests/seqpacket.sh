#!/bin/bash
# tests/seqpacket.sh: listen --seqpacket in echo and time mode keeps every
# answer one message, even while answers back up behind a slow reader.
. "${srcdir:-tests}/lib.sh"
need_cmd python3
plan 4

# client PATH COUNT: send COUNT messages of different sizes (from a
# thread, faster than it reads, so that answers back up in the server),
# read COUNT answers; print each answer's length and first bytes.
client() {
	python3 - "$1" "$2" <<'PY'
import socket, sys, threading, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.settimeout(20)
s.connect(sys.argv[1])
n = int(sys.argv[2])
def send():
    for i in range(n):
        s.send(("m%d:" % i).encode() + b"x" * (i * 37 % 4000))
t = threading.Thread(target=send)
t.start()
time.sleep(0.5)
for i in range(n):
    m = s.recv(65536)
    print(len(m), m[:40].decode(errors="replace"))
t.join()
PY
}

for mode in echo time; do
	sock="$TMP/$mode.sock"
	bg "$SOCKKIT" listen --seqpacket --mode $mode -U "$sock" 2>"$TMP/$mode.err"
	wait_for_line "$TMP/$mode.err" '^Listening on ' 5
	client "$sock" 400 >"$TMP/$mode.out" 2>&1
	ok $? "$mode: 400 messages out and 400 answers back"
	case $mode in
	echo)
		want=$(for i in $(seq 0 399); do
			echo "$(( ${#i} + 2 + i * 37 % 4000 )) m$i:"; done)
		got=$(sed 's/^\([0-9]*\) \(m[0-9]*:\).*/\1 \2/' "$TMP/$mode.out")
		is "$got" "$want" "echo: each answer is its message, whole and alone" ;;
	time)
		bad=$(awk '{ re = "^[0-9]+ \\[[A-Z][a-z][a-z] [A-Z][a-z][a-z] " \
		    "[ 0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9] [0-9][0-9][0-9][0-9]\\] m" \
		    (NR - 1) ":"
		    if ($0 !~ re) print }' "$TMP/$mode.out")
		is "$bad" "" "time: each answer is the time and its one message" ;;
	esac
done
done_testing
