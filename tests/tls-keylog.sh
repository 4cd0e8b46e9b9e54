#!/bin/bash
# tests/tls-keylog.sh: connect --tls --keylog FILE --write CAP: tshark
# decrypts the capture with the key log (the client's line comes out of
# the TLS stream), for TLS 1.3 and 1.2; the key log is in NSS format.
. "$srcdir/lib.sh"
need_root
need_cmd tshark
. "$srcdir/tls-lib.sh"

plan 8
for v in 1.3 1.2; do
	rm -f "$TMP/keys" "$TMP/cap.pcap"
	serve srv "$SOCKKIT" listen --tls 127.0.0.1 0 </dev/null
	printf 'the secret line %s\n' "$v" | timeout 20 "$SOCKKIT" connect \
	    --tls --insecure --tls-max "$v" --keylog "$TMP/keys" \
	    --write "$TMP/cap.pcap" 127.0.0.1 "$port" >/dev/null 2>"$TMP/c.err"
	is "$?" 0 "TLS $v: connect --keylog --write exits 0"
	wait_pid "$pid" 10
	if [ "$v" = 1.3 ]; then
		like "$(cut -d' ' -f1 "$TMP/keys" | sort -u | tr '\n' ' ')" \
		    'CLIENT_HANDSHAKE_TRAFFIC_SECRET CLIENT_TRAFFIC_SECRET_0 EXPORTER_SECRET SERVER_HANDSHAKE_TRAFFIC_SECRET SERVER_TRAFFIC_SECRET_0' \
		    "TLS 1.3: the key log has the five secrets"
	else
		like "$(cat "$TMP/keys")" '^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$' \
		    "TLS 1.2: the key log has CLIENT_RANDOM"
	fi
	out=$(tshark -r "$TMP/cap.pcap" -o "tls.keylog_file:$TMP/keys" \
	    -qz follow,tls,ascii,0 2>&1)
	like "$out" "the secret line $v" "TLS $v: tshark decrypts the line with the key log"
	out=$(tshark -r "$TMP/cap.pcap" -qz follow,tls,ascii,0 2>&1)
	! printf '%s\n' "$out" | grep -q "the secret line"
	ok $? "TLS $v: without it the line is not in clear"
done
done_testing
