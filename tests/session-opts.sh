#!/bin/bash
# tests/session-opts.sh: connect's and listen's session options against
# ncat's own: -o and --hex-dump files byte for byte the same as ncat's
# for the same session (--append-output too), --send-only, --recv-only,
# -d between lines, -i on listen; relayed bytes still exact with -o.
. "$srcdir/lib.sh"
need_cmd ncat python3
plan 19

# An echo peer for every client: each chunk comes back as it went.
serve echo "$SOCKKIT" listen -k --mode echo 127.0.0.1 0
eport=$port

# session TOOL ARGS...: one session of TOOL (sockkit connect or ncat)
# with the echo peer: one line, then every byte value, as two sends.
session() {
	_tool=$1; shift
	{ printf 'hello from the client\n'; sleep 0.3
	  python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(256)))'
	} | timeout 10 "$@" 127.0.0.1 "$eport" >"$TMP/$_tool.stdout"
}

session sk "$SOCKKIT" connect -o "$TMP/sk.o" --hex-dump "$TMP/sk.hex"
is $? 0 "connect -o --hex-dump: exit 0"
session nc ncat -o "$TMP/nc.o" --hex-dump "$TMP/nc.hex"
cmp -s "$TMP/sk.o" "$TMP/nc.o"; ok $? "-o: the same bytes as ncat -o"
is "$(wc -c <"$TMP/sk.o")" 556 "-o: both directions, 2 x 278 bytes"
cmp -s "$TMP/sk.hex" "$TMP/nc.hex"; ok $? "--hex-dump: the same dump as ncat's"
[ "$(grep -c '^0000 ' "$TMP/sk.hex")" -ge 4 ]
ok $? "--hex-dump: one dump per chunk, each from offset 0000"
cmp -s "$TMP/sk.stdout" "$TMP/nc.stdout"; ok $? "stdout: the echo, as ncat got it"

session sk "$SOCKKIT" connect --append-output -o "$TMP/sk.o" \
    --hex-dump "$TMP/sk.hex"
session nc ncat --append-output -o "$TMP/nc.o" --hex-dump "$TMP/nc.hex"
is "$(wc -c <"$TMP/sk.o")" 1112 "--append-output: the second session after the first"
cmp -s "$TMP/sk.hex" "$TMP/nc.hex"; ok $? "--append-output: the same as ncat's"

# listen -o: what the client sent, as ncat -l -o writes it.
for t in sk nc; do
	if [ $t = sk ]; then
		serve l$t "$SOCKKIT" listen -o "$TMP/l$t.o" 127.0.0.1 0
	else
		port=$(free_port)
		bg ncat -l -o "$TMP/l$t.o" 127.0.0.1 "$port" >"$TMP/l$t.out"
		wait_listening "$port"
	fi
	lpid=$!
	printf 'to the listener\n' | timeout 10 "$SOCKKIT" connect 127.0.0.1 "$port"
	wait_pid "$lpid" 10 >/dev/null
done
cmp -s "$TMP/lsk.o" "$TMP/lnc.o"; ok $? "listen -o: the same file as ncat -l -o"

# Bytes still exact with -o: 4 MiB through the echo peer.
head -c 4194304 /dev/urandom >"$TMP/4m"
timeout 20 "$SOCKKIT" connect -o "$TMP/big.o" 127.0.0.1 "$eport" \
    <"$TMP/4m" >"$TMP/big.out"
cmp -s "$TMP/4m" "$TMP/big.out"; ok $? "-o: 4 MiB relayed exactly"
is "$(wc -c <"$TMP/big.o")" 8388608 "-o: 4 MiB each way in the copy"

# --send-only: what comes is dropped; the session ends at EOF on stdin.
got=$(printf 'only this\n' | timeout 10 "$SOCKKIT" connect --send-only \
    127.0.0.1 "$eport"); rc=$?
is "$rc:$got" "0:" "--send-only: exit 0, the echo not written"

# --recv-only: stdin is never read, nothing is sent.
printf 'never sent\n' >"$TMP/ro.in"
serve ro "$SOCKKIT" listen --recv-only 127.0.0.1 0 <"$TMP/ro.in"
lpid=$pid
got=$(printf 'ignored\n' | timeout 10 "$SOCKKIT" connect 127.0.0.1 "$port")
wait_pid "$lpid" 10 >/dev/null
is "$got" "" "--recv-only: the listener sends nothing"
is "$(cat "$TMP/ro.out")" "ignored" "--recv-only: what the client sent arrives"

# -d: each line is its own send, so the echo comes back line by line.
printf 'a\nb\nc\n' | timeout 10 "$SOCKKIT" connect -d 0.2 \
    --hex-dump "$TMP/d.hex" 127.0.0.1 "$eport" >/dev/null
is "$(grep -c '^0000 ' "$TMP/d.hex")" 4 "-d: three lines echoed as three chunks"

# udp: -d sends each line after the wait; -o and --hex-dump log each
# datagram as a chunk, the client's both ways, the server's as ncat -u -l.
serve uecho "$SOCKKIT" udp -l --mode echo 127.0.0.1 0
printf 'one\ntwo\n' | timeout 10 "$SOCKKIT" udp -d 0.2 -o "$TMP/u.o" \
    --hex-dump "$TMP/u.hex" -w 0.5 127.0.0.1 "$port" >/dev/null
is "$(cat "$TMP/u.o")" "$(printf 'one\none\ntwo\ntwo')" \
    "udp -d -o: each datagram sent, then its echo"
is "$(grep -c '^0000 ' "$TMP/u.hex")" 4 "udp --hex-dump: one chunk per datagram"
for t in sk nc; do
	port=$(free_port)
	if [ $t = sk ]; then
		bg "$SOCKKIT" udp -l -o "$TMP/ul$t.o" --hex-dump "$TMP/ul$t.hex" \
		    127.0.0.1 "$port" >/dev/null 2>&1
	else
		bg ncat -u -l -o "$TMP/ul$t.o" --hex-dump "$TMP/ul$t.hex" \
		    127.0.0.1 "$port" >/dev/null 2>&1
	fi
	lpid=$!
	wait_listening "$port" udp
	printf 'first\nsecond datagram, longer than sixteen bytes\n' |
	    timeout 10 "$SOCKKIT" udp -d 0.1 -w 0.3 127.0.0.1 "$port"
	wait_until 5 test -s "$TMP/ul$t.hex"
	wait_until 5 grep -q second "$TMP/ul$t.o"
	kill "$lpid"
done
cmp -s "$TMP/ulsk.hex" "$TMP/ulnc.hex" && cmp -s "$TMP/ulsk.o" "$TMP/ulnc.o"
ok $? "udp -l -o --hex-dump: the same files as ncat -u -l's"

# -i on listen: a client idle that long is dropped, as with -w.
serve idle "$SOCKKIT" listen -i 0.5 127.0.0.1 0
lpid=$pid
sleep 3 | timeout 10 "$SOCKKIT" connect 127.0.0.1 "$port" >/dev/null 2>&1 &
_pids="$_pids $!"
wait_pid "$lpid" 10; rc=$?
like "$rc $(tail -n 1 "$TMP/idle.err")" "^1 .*timed out: idle for 0\.5 s \(-i\)$" \
    "listen -i 0.5: the idle client is dropped"
done_testing
