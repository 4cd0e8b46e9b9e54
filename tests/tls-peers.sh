#!/bin/bash
# tests/tls-peers.sh: what connect --tls and listen --tls agree with real
# peers beyond the bytes (tests/tls-interop.sh has those): the version
# each way, TLS 1.2 and 1.3, with openssl s_server/s_client, ncat --ssl
# and socat; ALPN both ways; client certificates both ways (a server that
# asks for one, with and without it).
. "$srcdir/lib.sh"
. "$srcdir/tls-lib.sh"

make_ca ca && make_cert srv ca 30 DNS:localhost IP:127.0.0.1 &&
    make_cert cli ca 30 DNS:client.test || skip_all "openssl cannot make a CA here"
CERT=$PKI/srv.pem KEY=$PKI/srv.key

# flat FILE: its lines joined by spaces (one line for like's regex).
flat() { tr '\n' ' ' <"$1"; }

# hold LINE: LINE, then input open a second (the peer answers first).
hold() { printf '%s\n' "$1"; sleep 1; }

# sk_to ARGS...: sockkit connect --tls -v ARGS to 127.0.0.1:$port, a line
# in; sets $rc, $out (its stdout) and $err (its stderr).
sk_to() {
	hold "from sockkit" | timeout 20 "$SOCKKIT" connect --tls -v \
	    --ca-file "$PKI/ca.pem" "$@" 127.0.0.1 "$port" >"$TMP/sk.out" \
	    2>"$TMP/sk.err"
	rc=$? out=$(flat "$TMP/sk.out") err=$(flat "$TMP/sk.err")
}

# peer_srv PEER ARGS...: PEER's TLS server on a free port, a line in,
# serving one client; sets $port and $ppid (stdout in $TMP/peer.out).
peer_srv() {
	_p=$1; shift
	port=$(free_port)
	case $_p in
	openssl) bg openssl s_server -quiet -nbio -naccept 1 \
		    -accept "127.0.0.1:$port" -cert "$CERT" -key "$KEY" "$@" ;;
	ncat)	bg ncat --ssl --ssl-cert "$CERT" --ssl-key "$KEY" "$@" -l \
		    127.0.0.1 "$port" ;;
	socat)	bg socat OPENSSL-LISTEN:"$port",bind=127.0.0.1,reuseaddr,cert="$CERT",key="$KEY",verify=0"$*" \
		    STDIO ;;
	esac < <(hold "from $_p") >"$TMP/peer.out" 2>"$TMP/peer.err"
	ppid=$!
	wait_listening "$port"
}

# sk_srv ARGS...: sockkit listen --tls -v ARGS, a line in; sets $port and
# $pid (stdout in $TMP/skl.out, stderr in $TMP/skl.err).
sk_srv() {
	serve skl "$SOCKKIT" listen --tls -v --cert "$CERT" --key "$KEY" "$@" \
	    127.0.0.1 0 < <(hold "from sockkit")
}

# s_client ARGS...: openssl s_client to $port, a line in; its stdout and
# stderr in $out.
s_client() {
	out=$(hold "from openssl" | timeout 20 openssl s_client -nbio \
	    -CAfile "$PKI/ca.pem" -connect "127.0.0.1:$port" "$@" 2>&1)
}

plan 25

# --- versions: sockkit the client ---
for p in openssl ncat socat; do
	command -v "$p" >/dev/null || { skip_n 4 "$p is not installed"; continue; }
	for v in 1.2 1.3; do
		peer_srv "$p"
		sk_to --tls-min "$v" --tls-max "$v"
		wait_pid "$ppid" 10 >/dev/null
		like "$rc $err" "^0 .*: TLSv$v, " "$p server, --tls-min/--tls-max $v: TLSv$v agreed"
		like "$out|$(flat "$TMP/peer.out")" "^from $p \|.*from sockkit" \
		    "$p server, TLS $v: a line each way"
	done
done

# A server of TLS 1.2 only, a client of 1.3 only: refused, in words.
peer_srv openssl -tls1_2
sk_to --tls-min 1.3
wait_pid "$ppid" 10 >/dev/null
is "$rc" 1 "a TLS 1.2 server, --tls-min 1.3: exit 1"
like "$err" "handshake: .*protocol version \(no TLS version both ends accept; --tls-min and --tls-max choose ours\)" \
    "it says no version could be agreed, and what chooses ours"

# --- versions: sockkit the server ---
for v in 1.2 1.3; do
	sk_srv --tls-min "$v" --tls-max "$v"
	s_client
	wait_pid "$pid" 10 >/dev/null
	like "$out" "New, TLSv$v, Cipher is " "s_client to listen --tls-max $v: TLSv$v"
	like "$(cat "$TMP/skl.err")" ": TLSv$v, " "listen -v says TLSv$v too"
done

# --- ALPN ---
peer_srv openssl -alpn h2,http/1.1
sk_to --alpn http/1.1,spdy/3
wait_pid "$ppid" 10 >/dev/null
like "$rc $err" "^0 .*, ALPN http/1\.1 " "s_server offering h2,http/1.1: connect --alpn gets http/1.1"
sk_srv --alpn h2,http/1.1
s_client -alpn http/1.1
wait_pid "$pid" 10 >/dev/null
like "$out" "ALPN protocol: http/1\.1" "s_client -alpn http/1.1 to listen --alpn h2,http/1.1: http/1.1"
if command -v ncat >/dev/null; then
	sk_srv --alpn h2
	hold "from ncat" | timeout 20 ncat --ssl --ssl-alpn h2 127.0.0.1 "$port" \
	    >/dev/null 2>&1
	wait_pid "$pid" 10 >/dev/null
	like "$(cat "$TMP/skl.err")" ", ALPN h2$" "ncat --ssl-alpn h2 to listen --alpn h2: h2"
else
	skip "ncat is not installed"
fi

# --- client certificates ---
peer_srv openssl -Verify 1 -CAfile "$PKI/ca.pem"
sk_to --cert "$PKI/cli.pem" --key "$PKI/cli.key"
wait_pid "$ppid" 10 >/dev/null
like "$rc|$(flat "$TMP/peer.out")" "^0\|.*from sockkit" \
    "s_server -Verify: connect --cert/--key is served"
peer_srv openssl -Verify 1 -CAfile "$PKI/ca.pem"
sk_to
wait_pid "$ppid" 10 >/dev/null
like "$rc $err" "^1 .*certificate required \(the server wants a client certificate: --cert and --key\)" \
    "s_server -Verify, no --cert: exit 1, 'certificate required', and what to give"
sk_srv --verify-client --ca-file "$PKI/ca.pem"
s_client -cert "$PKI/cli.pem" -key "$PKI/cli.key"
wait_pid "$pid" 10
like "$?|$(flat "$TMP/skl.out")" "^0\|from openssl" \
    "listen --verify-client: s_client with a certificate of the CA is served"
like "$(cat "$TMP/skl.err")" "certificate: subject .*CN ?= ?localhost" \
    "listen -v names the client's certificate"
done_testing
