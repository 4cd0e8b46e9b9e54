#!/bin/bash
# tests/capture-scope.sh: the capture takes sockkit's own flows only.
# connect --trace --write beside another connection to the same server;
# listen and udp -l --write on 127.0.0.1 beside a server of the same port
# on 127.0.0.2; a listener on every address still takes its own clients
# on 127.0.0.3 and ::1.
. "$srcdir/lib.sh"
need_root
need_cmd tcpdump
plan 12

# flows PCAP: the distinct "SRC > DST" endpoint pairs of its packets.
flows() {
	tcpdump -nn -r "$1" 2>/dev/null | awk '{ print $3, $5 }' |
	    sed 's/:$//' | sort -u | tr '\n' ';'
}

# connect --trace beside an unrelated connection to the same server that
# streams all the while.
bg "$SOCKKIT" listen -k --mode discard 127.0.0.1 0 2>"$TMP/d.err"
port=$(listen_port "$TMP/d.err")
bg "$SOCKKIT" connect 127.0.0.1 "$port" </dev/zero 2>/dev/null
other=$!
wait_established "$port" 1 5
printf 'mine\n' | "$SOCKKIT" connect -v --write "$TMP/c.pcap" \
    127.0.0.1 "$port" 2>"$TMP/c.err"
is $? 0 "connect --write beside another stream: exit 0"
kill -0 $other
ok $? "the other stream ran all the while"
kill $other
mine=$(sed -n 's/.*from 127\.0\.0\.1 port \([0-9]*\).*/\1/p' "$TMP/c.err" |
    head -n 1)
want=$(printf '127.0.0.1.%s 127.0.0.1.%s\n' "$mine" "$port" "$port" "$mine" |
    sort -u | tr '\n' ';')
is "$(flows "$TMP/c.pcap")" "$want" \
    "connect --write: only its own connection in the file"

# beside KIND: KIND (listen or udp) --write on 127.0.0.1 PORT beside a
# server of the same kind on 127.0.0.2 PORT, and a client of each: the
# file holds nothing of the other server's traffic.
beside() {
	if [ "$1" = listen ]; then _srv="listen -k"; else _srv="udp -l"; fi
	bg "$SOCKKIT" $_srv --mode echo --write "$TMP/$1.pcap" 127.0.0.1 0 \
	    2>"$TMP/$1.err"
	_pid=$!
	_port=$(listen_port "$TMP/$1.err")
	bg "$SOCKKIT" $_srv --mode echo 127.0.0.2 "$_port" 2>"$TMP/$1-o.err"
	listen_port "$TMP/$1-o.err" >/dev/null
	for _a in 127.0.0.2 127.0.0.1; do
		if [ "$1" = listen ]; then
			[ "$(printf x | timeout 10 "$SOCKKIT" connect "$_a" \
			    "$_port")" = x ]
		else
			"$SOCKKIT" udp -z -w 5 "$_a" "$_port" >/dev/null
		fi
		ok $? "$1: the server on $_a port $_port answers"
	done
	kill -INT $_pid
	wait_pid $_pid 10
	like "$(flows "$TMP/$1.pcap")" \
	    "^(127\.0\.0\.1\.[0-9]+ 127\.0\.0\.1\.[0-9]+;)+$" \
	    "$1 --write on 127.0.0.1: nothing of the other server's traffic"
}
beside listen
beside udp

# A listener on every address takes its clients on any of them.
bg "$SOCKKIT" listen -k --mode echo --write "$TMP/a.pcap" 0 2>"$TMP/a.err"
apid=$!
port=$(listen_port "$TMP/a.err")
printf x | timeout 10 "$SOCKKIT" connect 127.0.0.3 "$port" >/dev/null
printf x | timeout 10 "$SOCKKIT" connect ::1 "$port" >/dev/null
kill -INT $apid
wait_pid $apid 10
f=$(flows "$TMP/a.pcap")
like "$f" "127\.0\.0\.3\.$port " "listen on all addresses: the 127.0.0.3 client"
like "$f" "::1\.$port " "listen on all addresses: the ::1 client"
like "$f" "^((127\.0\.0\.[13]|::1)\.[0-9]+ (127\.0\.0\.[13]|::1)\.[0-9]+;)+$" \
    "listen on all addresses: nothing else"
done_testing
