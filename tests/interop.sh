#!/bin/bash
# tests/interop.sh: sockkit against OpenBSD nc, ncat and socat, both ways:
# text both ways in one connection, all 256 byte values both ways, and a
# 64 MiB random file checksummed end to end (sockkit connect sending to
# the peer's listener, and the peer's client sending to sockkit listen).
. "$srcdir/lib.sh"
need_cmd python3

peers=
command -v nc >/dev/null && nc -h 2>&1 | grep -q 'OpenBSD netcat' && peers="$peers nc"
command -v ncat >/dev/null && peers="$peers ncat"
command -v socat >/dev/null && peers="$peers socat"
[ -n "$peers" ] || skip_all "needs OpenBSD nc, ncat or socat"

printf 'hello from the client\nsecond line\n' >"$TMP/ctext"
printf 'hello from the server\n\303\251t\303\251\n' >"$TMP/stext"
python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(256)) * 64)' >"$TMP/bytes"
python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(255, -1, -1)) * 64)' >"$TMP/rbytes"
head -c 67108864 /dev/urandom >"$TMP/64m"
: >"$TMP/empty"

# peer_listen PEER IN OUT: start PEER's listener (stdin IN, stdout OUT);
# sets $port and $ppid.
peer_listen() {
	case $1 in
	nc)	bg nc -v -l 127.0.0.1 0 <"$2" >"$3" 2>"$TMP/pl.err"
		ppid=$!
		port=$(listen_port "$TMP/pl.err") ;;
	ncat)	# ncat cannot report a port-0 listener's port.
		port=$(free_port)
		bg ncat -l 127.0.0.1 "$port" <"$2" >"$3" 2>"$TMP/pl.err"
		ppid=$!
		wait_listening "$port" ;;
	socat)	bg socat -d -d -t 10 TCP-LISTEN:0,bind=127.0.0.1 STDIO <"$2" >"$3" 2>"$TMP/pl.err"
		ppid=$!
		port=$(socat_port "$TMP/pl.err") ;;
	esac
}

# peer_connect PEER PORT IN OUT: run PEER's client; returns its status.
# (nc -N sends FIN at EOF on stdin, as sockkit does.)
peer_connect() {
	case $1 in
	nc)	timeout 60 nc -N 127.0.0.1 "$2" <"$3" >"$4" ;;
	ncat)	timeout 60 ncat 127.0.0.1 "$2" <"$3" >"$4" ;;
	socat)	timeout 60 socat -t 10 STDIO TCP:127.0.0.1:"$2" <"$3" >"$4" ;;
	esac
}

# xfer PEER DIR CLIENT-IN SERVER-IN WHAT: one connection, DIR "to" (sockkit
# connect to the peer's listener) or "from" (the peer's client to sockkit
# listen); checks what each side received.
xfer() {
	_peer=$1 _dir=$2 _cin=$3 _sin=$4 _what=$5
	rm -f "$TMP/s.out" "$TMP/c.out"
	if [ "$_dir" = to ]; then
		peer_listen "$_peer" "$_sin" "$TMP/s.out"
		timeout 60 "$SOCKKIT" connect 127.0.0.1 "$port" <"$_cin" >"$TMP/c.out"
		_rc=$?
		wait_pid "$ppid" 30
		_src=$?
		_label="sockkit connect -> $_peer listener"
	else
		bg "$SOCKKIT" listen 127.0.0.1 0 <"$_sin" >"$TMP/s.out" 2>"$TMP/sl.err"
		_spid=$!
		port=$(listen_port "$TMP/sl.err")
		peer_connect "$_peer" "$port" "$_cin" "$TMP/c.out"
		_rc=$?
		wait_pid "$_spid" 30
		_src=$?
		_label="$_peer client -> sockkit listen"
	fi
	is "$_rc.$_src" "0.0" "$_label, $_what: both ends exit 0"
	is "$(digest "$TMP/s.out")" "$(digest "$_cin")" "$_label, $_what: server got the client's bytes"
	is "$(digest "$TMP/c.out")" "$(digest "$_sin")" "$_label, $_what: client got the server's bytes"
}

for p in $peers; do
	for d in to from; do
		xfer "$p" "$d" "$TMP/ctext" "$TMP/stext" "text both ways"
		xfer "$p" "$d" "$TMP/bytes" "$TMP/rbytes" "256 byte values both ways"
		xfer "$p" "$d" "$TMP/64m" "$TMP/empty" "64 MiB"
	done
done

done_testing
