#!/bin/bash
# tests/probe-tls.sh: probe --tls on 127.0.0.1 against openssl s_server
# (TLS 1.3 and TLS 1.2), sockkit's own TLS listener, and services that do
# not speak TLS: one that echoes, one that stays silent.  Each open port
# is said with its version, cipher and certificate (the one the server
# was given: subject, fingerprint), or why it has no TLS, in the table,
# --json, -oX (valid against nmap's DTD) and -oG.
. "${srcdir:-tests}/lib.sh"
. "$srcdir/tls-lib.sh"
need_cmd python3

make_cert srv self 30 DNS:localhost IP:127.0.0.1 ||
    skip_all "openssl could not make a certificate"
fp=$(openssl x509 -in "$PKI/srv.pem" -noout -fingerprint -sha256 | sed 's/.*=//')

# tls_server PORT ARGS...: openssl s_server for every client.
tls_server() {
	_p=$1; shift
	bg openssl s_server -quiet -accept "127.0.0.1:$_p" -cert "$PKI/srv.pem" \
	    -key "$PKI/srv.key" "$@" </dev/null >/dev/null 2>"$TMP/s$_p.err"
	wait_listening "$_p"
}
T13=$(free_port); tls_server "$T13" -tls1_3
T12=$(free_port); tls_server "$T12" -tls1_2
E=$(free_port); bg "$SOCKKIT" listen -k --mode echo 127.0.0.1 "$E" >/dev/null 2>&1
S=$(free_port); bg "$SOCKKIT" listen -k --mode discard 127.0.0.1 "$S" >/dev/null 2>&1
# sockkit's own TLS listener sends its stdin to the one client it takes.
K=$(free_port); bg sh -c "(echo hello-tls; sleep 10) | timeout 15 \"$SOCKKIT\" \
    listen --tls 127.0.0.1 $K" >/dev/null 2>&1
C=$(free_port)
wait_listening "$E" && wait_listening "$S" && wait_listening "$K" ||
    skip_all "a listener did not start"
ports=$T13,$T12,$E,$S,$C
plan 23

cd "$TMP" || exit 1
out=$("$SOCKKIT" probe --tls --banner=1000 -p "$ports" 127.0.0.1); rc=$?
is "$rc" 0 "exit 0: ports are open"
like "$out" "^$T13/tcp +open .*
\|_tls: TLSv1\.3, TLS_[A-Z0-9_]+
\|_cert: /CN=localhost, issuer /CN=localhost, valid [0-9-]+ [0-9:]+ UTC to [0-9-]+ [0-9:]+ UTC$" \
    "TLS 1.3: version, cipher, certificate under the port"
like "$out" "^$T12/tcp +open .*
\|_tls: TLSv1\.2, ECDHE-ECDSA-[A-Z0-9-]+$" "TLS 1.2: its version and cipher"
like "$out" "^$E/tcp +open .*
\|_tls: no TLS: [a-z]" "an echo service: no TLS, OpenSSL's reason"
like "$out" "^$S/tcp +open .*
\|_tls: no TLS: no handshake in time$" "a silent service: no handshake in time"
is "$(echo "$out" | grep -A1 "^$C/tcp" | grep -c '|_tls')" 0 \
    "a closed port: no handshake tried"
like "$out" "^127\.0\.0\.1: 5 ports: 4 open, 1 closed$" "the summary as without"

"$SOCKKIT" probe --tls --banner=1000 --json -a -p "$ports" 127.0.0.1 >j.out
is "$(FP=$fp python3 -c '
import json, os
for line in open("j.out"):
    o = json.loads(line)
    if o["type"] != "port":
        continue
    t = o.get("tls", "absent")
    if o["state"] != "open":
        print(o["port"], t)
    elif "error" in t:
        print(o["port"], "error" if t["error"] else "empty")
    else:
        print(o["port"], t["version"], t["subject"],
              t["sha256"] == os.environ["FP"], t["not_after"] > t["not_before"])
' | sort -n | tr '\n' ';')" \
    "$(printf '%s\n' "$T13 TLSv1.3 /CN=localhost True True" \
    "$T12 TLSv1.2 /CN=localhost True True" "$E error" "$S error" \
    "$C absent" | sort -n | tr '\n' ';')" \
    "--json: tls objects, the fingerprint the certificate's, errors said"

"$SOCKKIT" probe --tls -p "$T13,$E" -oX x.xml -oG g.txt 127.0.0.1 >/dev/null
like "$(cat x.xml)" "portid=\"$T13\"><state state=\"open\"[^>]*/><service name=\"[a-z-]+\" tunnel=\"ssl\"" \
    "-oX: the TLS port's service is tunnelled by ssl"
like "$(cat x.xml)" "<script id=\"ssl-cert\" output=\"Subject: /CN=localhost&#xa;Issuer: /CN=localhost&#xa;Not valid before: [^&]+&#xa;Not valid after:  [^&]+&#xa;SHA-256: $fp\"/>" \
    "-oX: nmap's ssl-cert script with the certificate"
like "$(cat x.xml)" "portid=\"$E\"><state [^>]*/>(<service [^>]*/>)?<script id=\"tls\" output=\"no TLS: " \
    "-oX: the echo port says why it has no TLS"
if command -v xmllint >/dev/null 2>&1 && [ -r /usr/share/nmap/nmap.dtd ]; then
	xmllint --noout --dtdvalid /usr/share/nmap/nmap.dtd x.xml 2>x.err
	is "$?" 0 "-oX: valid against nmap's DTD" || diag "$(head -5 x.err)"
else
	skip_n 1 "needs xmllint and nmap's DTD"
fi
like "$(cat g.txt)" "Ports: .*$T13/open/tcp//ssl(\|[a-z-]+)?///" "-oG: nmap's ssl| tunnel"
"$SOCKKIT" probe --merge x.xml -oX mx.xml >m.out 2>&1
like "$(cat m.out)" "^$T13/tcp +open .*
\|_tls: TLSv1\.3, TLS_[A-Z0-9_]+
\|_cert: /CN=localhost, issuer /CN=localhost, valid .* UTC$" \
    "--merge reads back what the handshakes showed"
is "$(grep -o '<script id="[a-z-]*" output="[^"]*"' mx.xml)" \
    "$(grep -o '<script id="[a-z-]*" output="[^"]*"' x.xml)" \
    "--merge -oX: the same tls and ssl-cert scripts"
is "$(grep -c "$E/open/tcp//ssl" g.txt)" 0 "-oG: no ssl for the echo port"

# The first bytes through TLS: what sockkit's listener sends after the
# handshake.
out=$("$SOCKKIT" probe --tls --banner=2000 -p "$K" 127.0.0.1)
like "$out" "^$K/tcp +open .*
\|_tls: TLSv1\.3, .*
\|_banner: hello-tls\\\\n$" "--banner with --tls: the first line, read through TLS"

# Without --tls nothing changes: no tls key, no line.
is "$("$SOCKKIT" probe --json -p "$T13" 127.0.0.1 | grep -c '"tls"')" 0 \
    "without --tls: no tls in --json"
is "$("$SOCKKIT" probe -p "$T13" 127.0.0.1 | grep -c '|_tls')" 0 \
    "without --tls: no |_tls line"

# The server name: a target's name as typed goes as SNI, an address does
# not (a server that knows only "foo" refuses "localhost" fatally).
N=$(free_port)
bg openssl s_server -quiet -accept "127.0.0.1:$N" -cert "$PKI/srv.pem" \
    -key "$PKI/srv.key" -cert2 "$PKI/srv.pem" -key2 "$PKI/srv.key" \
    -servername foo -servername_fatal </dev/null >/dev/null 2>&1
wait_listening "$N"
like "$("$SOCKKIT" probe -4 --tls -p "$N" localhost)" "\|_tls: no TLS: .*unrecognized name" \
    "a name as typed is sent as SNI"
like "$("$SOCKKIT" probe --tls -p "$N" 127.0.0.1)" "\|_tls: TLSv1\.3, " \
    "an address sends no SNI"

# -u refuses it; a probe of many ports with --tls stays exact.
"$SOCKKIT" probe --tls -u -p 53 127.0.0.1 >/dev/null 2>err.txt
is "$?" 2 "-u --tls: usage error"
out=$("$SOCKKIT" probe --tls -p "1-2000,$T13" 127.0.0.1 --open)
like "$out" "^$T13/tcp +open .*
\|_tls: TLSv1\.3" "1-2000 and the TLS port: the handshake still made"
done_testing
