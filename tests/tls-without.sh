#!/bin/bash
# tests/tls-without.sh: a sockkit built with configure --without-openssl
# refuses every TLS option of connect and listen, and probe --tls, in one
# line, exit 2.
# (A build with OpenSSL skips; .ci/run builds without it to run this.)
. "$srcdir/lib.sh"

"$SOCKKIT" connect --tls --help >/dev/null 2>&1 &&
    skip_all "this sockkit has TLS (the --without-openssl build runs this)"
opts="--tls --ca-file=f --sni=n --no-sni --alpn=h2 --tls-min=1.3
	--tls-max=1.2 --cert=f --key=f --insecure --keylog=f --verify-client"
for cmd in connect listen; do
	for o in $opts; do
		"$SOCKKIT" "$cmd" "$o" 127.0.0.1 9 >"$TMP/out" 2>"$TMP/err"
		is "$?" 2 "$cmd $o: exit 2"
		is "$(wc -l <"$TMP/err")$(wc -c <"$TMP/out")" "10" \
		    "$cmd $o: one line on stderr, nothing on stdout"
		like "$(cat "$TMP/err")" "^sockkit: $cmd: --tls and its options: this sockkit was built without OpenSSL \\(configure --without-openssl\\)" \
		    "$cmd $o: says so"
	done
done
"$SOCKKIT" probe --tls -p 9 127.0.0.1 >"$TMP/out" 2>"$TMP/err"
is "$?" 2 "probe --tls: exit 2"
like "$(cat "$TMP/err")" "^sockkit: probe: --tls: this sockkit was built without OpenSSL \\(configure --without-openssl\\)" \
    "probe --tls: says so"
done_testing
