#!/bin/bash
# tests/capture-files.sh: the --write file when it cannot be written
# (/dev/full, a file system already full): exit 1 with one line naming
# the file and the errno, nothing sent, no crash (libpcap closes the
# stream itself when the header fails, and sockkit closed it again: a
# double free); and the kernel's drops reported when --write alone runs.
. "$srcdir/lib.sh"
need_root
need_cmd unshare mount python3
plan 14

# write_fails WHAT RC-FILE ERR-FILE MESSAGE: exit 1 (not an abort, 134)
# and exactly the one line.
write_fails() {
	is "$(cat "$2")" 1 "$1: exit 1, no crash"
	is "$(cat "$3")" "$4" "$1: one line names the file and the errno"
}

# connect: the file is opened before anything is sent, so the server's
# first connection is the marker's, sent after the failed run.
bg "$SOCKKIT" listen 127.0.0.1 0 </dev/null >"$TMP/l.out" 2>"$TMP/l.err"
lpid=$!
port=$(listen_port "$TMP/l.err")
echo x | timeout 20 "$SOCKKIT" connect --write /dev/full 127.0.0.1 "$port" \
    >/dev/null 2>"$TMP/c.err"
echo $? >"$TMP/c.rc"
write_fails "connect --write /dev/full" "$TMP/c.rc" "$TMP/c.err" \
    "sockkit: connect: --write /dev/full: No space left on device"
echo marker | timeout 10 "$SOCKKIT" connect 127.0.0.1 "$port" >/dev/null
wait_pid $lpid 10
is "$(cat "$TMP/l.out")" marker "connect --write /dev/full: nothing was sent"

# udp: the same, and the server sees the marker's datagram only.
bg "$SOCKKIT" udp -l 127.0.0.1 0 >"$TMP/u.out" 2>"$TMP/u.err"
upid=$!
uport=$(listen_port "$TMP/u.err")
echo x | timeout 20 "$SOCKKIT" udp --write /dev/full -q 0 127.0.0.1 "$uport" \
    >/dev/null 2>"$TMP/c.err"
echo $? >"$TMP/c.rc"
write_fails "udp --write /dev/full" "$TMP/c.rc" "$TMP/c.err" \
    "sockkit: udp: --write /dev/full: No space left on device"
echo marker | timeout 10 "$SOCKKIT" udp -q 0 127.0.0.1 "$uport" >/dev/null
wait_for_line "$TMP/u.out" marker 5
is "$(cat "$TMP/u.out")" marker "udp --write /dev/full: nothing was sent"
kill $upid 2>/dev/null

# listen: fails before it listens.
timeout 20 "$SOCKKIT" listen --write /dev/full 127.0.0.1 0 </dev/null \
    >/dev/null 2>"$TMP/c.err"
echo $? >"$TMP/c.rc"
write_fails "listen --write /dev/full" "$TMP/c.rc" "$TMP/c.err" \
    "sockkit: listen: --write /dev/full: No space left on device"

# A file system with no room left (a 64 KiB tmpfs, filled, in a private
# mount namespace): not even the file's header fits.
mkdir "$TMP/full"
bg "$SOCKKIT" listen -k --mode echo 127.0.0.1 0 2>"$TMP/e.err"
eport=$(listen_port "$TMP/e.err")
timeout 60 unshare -m sh -c 'mount -t tmpfs -o size=64k tmpfs "$1" &&
    { dd if=/dev/zero of="$1/fill" bs=4k 2>/dev/null; :; } &&
    { echo x | "$2" connect --write "$1/c.pcap" 127.0.0.1 "$3" \
    >/dev/null 2>"$4/fc.err"; echo $? >"$4/fc.rc";
    echo x | "$2" udp --write "$1/u.pcap" -q 0 127.0.0.1 "$5" \
    >/dev/null 2>"$4/fu.err"; echo $? >"$4/fu.rc"; }' sh "$TMP/full" \
    "$SOCKKIT" "$eport" "$TMP" "$uport"
write_fails "connect --write on a full file system" "$TMP/fc.rc" \
    "$TMP/fc.err" "sockkit: connect: --write $TMP/full/c.pcap: No space left on device"
write_fails "udp --write on a full file system" "$TMP/fu.rc" \
    "$TMP/fu.err" "sockkit: udp: --write $TMP/full/u.pcap: No space left on device"

# --write alone has no verdict to carry the kernel's drops: stderr says
# them.  A flood of datagrams to a udp client that is stopped overruns
# its capture ring (32 MiB of 64 KiB frames).
cat >"$TMP/flood.py" <<'EOF'
import os, socket, sys, time
d = sys.argv[1]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
open(d + "/port.tmp", "w").write("%d\n" % s.getsockname()[1])
os.rename(d + "/port.tmp", d + "/port")
s.settimeout(10)
_, peer = s.recvfrom(100)
open(d + "/peer", "w").close()
for _ in range(200):			# the test stops the client: go
	if os.path.exists(d + "/go"):
		break
	time.sleep(0.05)
for _ in range(20000):
	s.sendto(b"x", peer)
open(d + "/done", "w").close()
EOF
mkdir "$TMP/fl"
bg "$PYTHON" "$TMP/flood.py" "$TMP/fl"
wait_for_line "$TMP/fl/port" . 10
mkfifo "$TMP/fin"
exec 7<>"$TMP/fin"
bg "$SOCKKIT" udp --write "$TMP/fl.pcap" 127.0.0.1 "$(cat "$TMP/fl/port")" \
    <"$TMP/fin" >/dev/null 2>"$TMP/fl.err" 7>&-
cpid=$!
echo hello >&7
wait_until 10 test -e "$TMP/fl/peer"
kill -STOP $cpid
touch "$TMP/fl/go"
wait_until 20 test -e "$TMP/fl/done"
kill -CONT $cpid
exec 7>&-
wait_pid $cpid 20
is $? 0 "udp --write after a flood: exit 0"
like "$(cat "$TMP/fl.err")" '^sockkit: capture: [1-9][0-9]* packets dropped by the kernel$' \
    "--write alone: the kernel's drops are said on stderr"
done_testing
