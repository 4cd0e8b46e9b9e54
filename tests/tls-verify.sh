#!/bin/bash
# tests/tls-verify.sh: connect --tls checks the server's certificate
# against a test CA made here with openssl: a good chain passes; a wrong
# host, an expired certificate, a self-signed one and one of an unknown
# CA each fail with their own reason and exit 1; --insecure connects and
# says so.  listen --verify-client takes a client signed by the CA and
# refuses one without a certificate.
. "$srcdir/lib.sh"
. "$srcdir/tls-lib.sh"

make_ca ca && make_ca other || skip_all "openssl cannot make a CA here"
make_cert good ca 30 DNS:localhost IP:127.0.0.1
make_cert expired ca -1 DNS:localhost
make_cert self self 30 DNS:localhost
make_cert stranger other 30 DNS:localhost
make_cert client ca 30 DNS:client.test

# check NAME CERT WANT-RC REGEX ARGS...: connect -z --tls to s_server
# with CERT; its status and stderr.
check() {
	_name=$1 _cert=$2 _want=$3 _re=$4; shift 4
	s_server "$_cert"
	timeout 20 "$SOCKKIT" connect -z --tls "$@" 127.0.0.1 "$port" \
	    2>"$TMP/c.err"
	is "$?" "$_want" "$_name: exit $_want"
	like "$(cat "$TMP/c.err")" "$_re" "$_name: $_re"
	kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null
}

check "good chain, checked by IP" good 0 '^$' --ca-file "$PKI/ca.pem"
check "good chain, -v" good 0 'certificate: issuer /CN=sockkit test ca' \
    -v --ca-file "$PKI/ca.pem" --sni localhost
like "$(cat "$TMP/c.err")" 'TLSv1\.3, TLS_AES_256_GCM_SHA384' "-v: version and cipher"
like "$(cat "$TMP/c.err")" 'certificate: subject /CN=localhost' "-v: subject"
like "$(cat "$TMP/c.err")" 'valid from 20[0-9-]+ [0-9:]+ UTC until' "-v: validity"
like "$(cat "$TMP/c.err")" "SHA-256 $(openssl x509 -in "$PKI/good.pem" -noout \
    -fingerprint -sha256 | sed 's/.*=//')\$" "-v: the fingerprint openssl gives"
check "wrong host" good 1 'hostname mismatch: the certificate names localhost, not example\.org' \
    --ca-file "$PKI/ca.pem" --sni example.org
check "expired" expired 1 'certificate verify failed: certificate has expired' \
    --ca-file "$PKI/ca.pem" --sni localhost
check "self-signed" self 1 'certificate verify failed: self-signed certificate' \
    --ca-file "$PKI/ca.pem" --sni localhost
check "unknown CA" stranger 1 'certificate verify failed: unable to get local issuer certificate' \
    --ca-file "$PKI/ca.pem" --sni localhost
check "--insecure" self 0 '--insecure: the server.s certificate and name are not checked' \
    --insecure
check "no --ca-file: the system's store" good 1 'unable to get local issuer certificate'

# The relay really works (s_server stops at EOF on its stdin: a sleep).
s_server good < <(sleep 10)
printf 'hello over TLS\n' | timeout 20 "$SOCKKIT" connect --tls \
    --ca-file "$PKI/ca.pem" -q 1 127.0.0.1 "$port" >/dev/null 2>"$TMP/c.err"
is "$?" 0 "relay to s_server: exit 0"
wait_pid "$spid" 10
like "$(cat "$TMP/s_server.out")" 'hello over TLS' "s_server got the line"

# listen --verify-client: a client with a certificate of the CA, one
# without.  The server only receives (at EOF on stdin it would close
# first, and s_client, seeing close_notify, could quit before sending
# its line); s_client closes at the end of its input (-no_ign_eof).
serve vc "$SOCKKIT" listen --tls --cert "$PKI/good.pem" --key "$PKI/good.key" \
    --verify-client --ca-file "$PKI/ca.pem" --recv-only -v 127.0.0.1 0 </dev/null
printf 'from a known client\n' | timeout 20 openssl s_client -quiet -no_ign_eof \
    -connect "127.0.0.1:$port" -cert "$PKI/client.pem" \
    -key "$PKI/client.key" >/dev/null 2>&1
wait_pid "$pid" 10
is "$?" 0 "listen --verify-client: a client of the CA is served"
like "$(cat "$TMP/vc.out")" 'from a known client' "its line came through"
like "$(cat "$TMP/vc.err")" 'certificate: subject /CN=localhost' \
    "-v names its certificate"
serve vc2 "$SOCKKIT" listen --tls --cert "$PKI/good.pem" --key "$PKI/good.key" \
    --verify-client --ca-file "$PKI/ca.pem" 127.0.0.1 0 </dev/null
printf 'x\n' | timeout 20 openssl s_client -quiet -connect "127.0.0.1:$port" \
    >/dev/null 2>&1
wait_pid "$pid" 10
is "$?" 1 "listen --verify-client: a client without a certificate: exit 1"
like "$(cat "$TMP/vc2.err")" 'peer did not return a certificate' "and why"

# sockkit against itself: the ephemeral certificate's fingerprint.
serve eph "$SOCKKIT" listen --tls 127.0.0.1 0 </dev/null
fp=$(sed -n 's/.*SHA-256 \([0-9A-F:]*\))$/\1/p' "$TMP/eph.err")
like "$fp" '^([0-9A-F]{2}:){31}[0-9A-F]{2}$' "listen --tls prints its fingerprint"
timeout 20 "$SOCKKIT" connect -v --tls --insecure 127.0.0.1 "$port" \
    </dev/null 2>"$TMP/eph.cerr" >/dev/null
like "$(cat "$TMP/eph.cerr")" "SHA-256 $fp" "the client sees that fingerprint"
wait_pid "$pid" 10
done_testing
