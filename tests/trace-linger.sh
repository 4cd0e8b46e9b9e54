#!/bin/bash
# tests/trace-linger.sh: the live capture goes on while the peer can still
# retransmit.  In a namespace made here, nft drops this host's final ACK
# (after the capture saw it) for a second, so the server retransmits its
# FIN and this host, in TIME_WAIT, answers each: "connect --trace" must
# draw every one of them, as many packets as tcpdump saw.
. "$srcdir/lib.sh"
need_root
need_cmd nft tcpdump ip
plan 8

NS=sklg$$
make_netns $NS || skip_all "cannot make a network namespace"
N="ip netns exec $NS"

# server: read until EOF, then close (its FIN acknowledges ours); sets
# $port.
server() {
	$N $PYTHON -c '
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
sys.stderr.write("Listening on 127.0.0.1 %d\n" % s.getsockname()[1])
sys.stderr.flush(); s.settimeout(20)
c, _ = s.accept(); c.settimeout(20)
while c.recv(4096):
	pass
c.close()' 2>"$TMP/serr" &
	_pids="$_pids $!"
	port=$(listen_port "$TMP/serr")
}
server

# This host's pure ACKs to the server: the handshake's goes, the next ones
# (the final ACK and its repeats) are dropped until the rule goes.
$N nft -f - <<NFT || skip_all "nft cannot make a table here"
table inet sklg {
	chain in {
		type filter hook input priority 0;
		tcp dport $port tcp flags & (fin|syn|rst|psh|ack) == ack quota over 60 bytes drop
	}
}
NFT

$N tcpdump --immediate-mode -U -i lo -s 128 -w "$TMP/truth.pcap" \
    "tcp port $port" 2>/dev/null &
td=$!
_pids="$_pids $td"
wait_until 5 test -s "$TMP/truth.pcap"	# tcpdump's file header
sleep 0.5

(sleep 1; $N nft delete table inet sklg) &
del=$!
printf 'ping\n' | $N "$SOCKKIT" connect --trace --ascii --color=never \
    --linger-capture 1500 127.0.0.1 "$port" >/dev/null 2>"$TMP/ladder"
rc=$?
wait $del
sleep 0.5
kill -INT $td; wait $td 2>/dev/null

truth=$(tcpdump -r "$TMP/truth.pcap" 2>/dev/null | wc -l)
drawn=$(grep -cE '^ *[0-9]+\.[0-9]+ .*(-- |<-- )' "$TMP/ladder")
fins=$(tcpdump -r "$TMP/truth.pcap" "tcp src port $port and tcp[13] & 1 != 0" \
    2>/dev/null | wc -l)
is "$rc" 0 "exit 0"
like "$fins" '^([3-9]|[1-9][0-9])$' "the server retransmitted its FIN (tcpdump saw $fins FINs)"
is "$drawn" "$truth" "every packet tcpdump saw is drawn"
is "$(grep -cE '^ *[0-9]+\.[0-9]+ .*<-- FIN' "$TMP/ladder")" "$fins" \
    "each FIN of the server drawn"
like "$(grep -A3 -E '<-- FIN' "$TMP/ladder" | tail -n 4)" 'retransmission' \
    "the last FIN is marked as a retransmission"
like "$(tail -n 1 "$TMP/ladder")" "verdict: .* $truth packets" \
    "the verdict counts them all"
[ $_failed = 0 ] || sed 's/^/# /' "$TMP/ladder"

# Nothing dropped: the server is a socket of this host, and once the
# kernel has it closed (it got the last ACK) no FIN can come again, so
# the capture ends then, not after a linger of a minute.
server
printf 'ping\n' | timeout 20 $N "$SOCKKIT" connect --trace --ascii \
    --color=never --linger-capture 60000 127.0.0.1 "$port" >/dev/null \
    2>"$TMP/ladder2"
is "$?" 0 "a peer of this host, closed: the capture ends without the linger"
like "$(tail -n 1 "$TMP/ladder2")" "verdict: closed by A .*; 0 retransmissions" \
    "and the verdict is drawn"
done_testing
