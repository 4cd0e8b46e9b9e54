#!/bin/bash
# tests/tls-interop.sh: connect --tls and listen --tls against openssl
# s_server and s_client, ncat --ssl and socat OPENSSL-LISTEN/OPENSSL:
# 20 MB checked byte for byte from client to server, from server to
# client, and both ways at once (tests/tls-peers.sh: versions, ALPN and
# client certificates).
. "$srcdir/lib.sh"
. "$srcdir/tls-lib.sh"

peers="openssl"
command -v ncat >/dev/null && peers="$peers ncat"
command -v socat >/dev/null && peers="$peers socat"

make_ca ca && make_cert srv ca 30 DNS:localhost IP:127.0.0.1 &&
    make_cert cli ca 30 DNS:client.test || skip_all "openssl cannot make a CA here"
head -c 20000000 /dev/urandom >"$TMP/a"
head -c 20000000 /dev/urandom >"$TMP/b"
: >"$TMP/none"
CERT=$PKI/srv.pem KEY=$PKI/srv.key

# feed FILE: FILE, then stay open until both sides have received all
# they wait for ($TMP/s.out $_sn bytes, $TMP/c.out $_cn; at most 60 s):
# a side ends its input, which closes its sending direction (or, for
# ncat and the openssl tools, the whole connection), only then.
feed() {
	cat "$1"
	for _ in $(seq 600); do
		[ "$(stat -L -c %s "$TMP/s.out" 2>/dev/null || echo 0)" -ge "$_sn" ] &&
		    [ "$(stat -L -c %s "$TMP/c.out" 2>/dev/null || echo 0)" -ge "$_cn" ] &&
		    return
		sleep 0.1
	done
}

# The openssl tools run with -nbio.  Blocking, s_server can hang on its
# own (seen with strace): one select() reports stdin and the socket
# readable, SSL_write finishes the handshake by reading the client's
# Finished, which was all the socket held, and the SSL_read that follows
# blocks for good.
#
# peer_listen PEER IN OUT: PEER's TLS server (input: feed IN, output
# OUT); sets $port and $ppid.
peer_listen() {
	port=$(free_port)
	case $1 in
	openssl) bg openssl s_server -quiet -nbio -naccept 1 -accept "127.0.0.1:$port" \
		    -cert "$CERT" -key "$KEY" < <(feed "$2") \
		    >"$3" 2>"$TMP/pl.err" ;;
	ncat)	bg ncat --ssl --ssl-cert "$CERT" --ssl-key "$KEY" -l 127.0.0.1 \
		    "$port" < <(feed "$2") >"$3" 2>"$TMP/pl.err" ;;
	socat)	bg socat -t 30 OPENSSL-LISTEN:"$port",bind=127.0.0.1,reuseaddr,cert="$CERT",key="$KEY",verify=0 \
		    STDIO < <(feed "$2") >"$3" 2>"$TMP/pl.err" ;;
	esac
	ppid=$!
	wait_listening "$port"
}

# peer_connect PEER PORT IN OUT: PEER's TLS client; its status.
# (feed keeps each input open until all has come.)
peer_connect() {
	case $1 in
	openssl) timeout 60 openssl s_client -quiet -nbio -connect "127.0.0.1:$2" \
		    -CAfile "$PKI/ca.pem" < <(feed "$3") >"$4" \
		    2>"$TMP/pc.err" ;;
	ncat)	timeout 60 ncat --ssl \
		    127.0.0.1 "$2" < <(feed "$3") >"$4" 2>"$TMP/pc.err" ;;
	socat)	timeout 60 socat -t 30 STDIO OPENSSL:127.0.0.1:"$2",cafile="$PKI/ca.pem" \
		    < <(feed "$3") >"$4" 2>"$TMP/pc.err" ;;
	esac
}

# xfer PEER DIR CLIENT-IN SERVER-IN WHAT: one connection, DIR "to"
# (sockkit connect --tls to the peer's server) or "from" (the peer's
# client to sockkit listen --tls); checks what each side received.
xfer() {
	_peer=$1 _dir=$2 _cin=$3 _sin=$4 _what=$5
	_cn=$(stat -c %s "$_sin") _sn=$(stat -c %s "$_cin")
	rm -f "$TMP/s.out" "$TMP/c.out"
	if [ "$_dir" = to ]; then
		peer_listen "$_peer" "$_sin" "$TMP/s.out"
		timeout 60 "$SOCKKIT" connect --tls --ca-file "$PKI/ca.pem" \
		    127.0.0.1 "$port" < <(feed "$_cin") \
		    >"$TMP/c.out" 2>"$TMP/c.err"
		_rc=$?
		wait_pid "$ppid" 30
		_prc=$?
	else
		: >"$TMP/s.out"
		serve sk "$SOCKKIT" listen --tls --cert "$CERT" --key "$KEY" \
		    127.0.0.1 0 < <(feed "$_sin")
		ln -sf "$TMP/sk.out" "$TMP/s.out"
		peer_connect "$_peer" "$port" "$_cin" "$TMP/c.out"
		_prc=$?
		wait_pid "$pid" 30
		_rc=$?
	fi
	is "$_rc" 0 "$_dir $_peer, $_what: sockkit exits 0"
	is "$_prc" 0 "$_dir $_peer, $_what: $_peer exits 0"
	is "$(digest <"$TMP/s.out")" "$(digest <"$_cin")" \
	    "$_dir $_peer, $_what: the server got the client's bytes"
	is "$(digest <"$TMP/c.out")" "$(digest <"$_sin")" \
	    "$_dir $_peer, $_what: the client got the server's bytes"
}

for p in $peers; do
	for d in to from; do
		xfer "$p" "$d" "$TMP/a" "$TMP/none" "20 MB client to server"
		# From listen --tls to ncat --ssl: the last record is no more
		# than ncat reads at once (src/tls.c), or its rest would wait
		# in ncat's buffer for good (20 MB is not a multiple of 8 KiB).
		xfer "$p" "$d" "$TMP/none" "$TMP/b" "20 MB server to client"
		xfer "$p" "$d" "$TMP/a" "$TMP/b" "20 MB both ways at once"
	done
done
done_testing
