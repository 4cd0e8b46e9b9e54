#!/bin/bash
# tests/tlsdecode-tshark.sh: the TLS decoder (src/tlsdecode.c, through
# tests/tls-dump) reads the captures of tests/tls as tshark does: the
# same records (type, length) in the same frames and order, the same
# handshake messages in clear, the same SNI, ALPN, cipher suite count,
# supported versions and key-share groups of each ClientHello, the same
# version and cipher of each ServerHello.  With root, openssl and tcpdump,
# fresh captures made by tests/tls/capture.sh are compared too.
. "$srcdir/lib.sh"
need_cmd tshark python3
DUMP=${TLSDUMP:-$(dirname "$SOCKKIT")/tests/tls-dump}
[ -x "$DUMP" ] || skip_all "tests/tls-dump is not built"

# compare PCAP NAME: tshark's lines and ours, the same.
compare() {
	timeout 60 tshark -n -r "$1" -Y tls -T json --no-duplicate-keys \
	    -J "frame tls" 2>/dev/null |
	    python3 "$srcdir/tlsdecode-tshark.py" >"$TMP/tshark" 2>&1
	"$DUMP" -c "$1" >"$TMP/ours" 2>&1
	if [ -s "$TMP/tshark" ] && diff "$TMP/tshark" "$TMP/ours" >"$TMP/diff"
	then ok 0 "$2: as tshark reads it ($(wc -l <"$TMP/ours") lines)"
	else ok 1 "$2: as tshark reads it"; sed 's/^/#   /' "$TMP/diff" | head -20
	fi
}

for pcap in "$srcdir"/tls/*.pcap; do
	compare "$pcap" "$(basename "$pcap")"
done

# What a reader sees: the names and details of the events.
out=$("$DUMP" "$srcdir/tls/tls13.pcap")
like "$out" '^4 > ClientHello SNI=example.com ALPN=h2,http/1.1 versions=TLS1.3 groups=x25519 suites=4 sid=32$' \
    "tls13: ClientHello with SNI, ALPN, versions, groups"
like "$out" '^6 < ServerHello TLS1.3 TLS_AES_256_GCM_SHA384 group=x25519$' \
    "tls13: ServerHello with the chosen version and cipher"
like "$out" '^8 < encrypted handshake 1327 bytes$' \
    "tls13: the server's encrypted flight is named so"
like "$out" '^20 > application data 19 bytes$' "tls13: application data lengths"
out=$("$DUMP" "$srcdir/tls/tls13-hrr.pcap")
like "$out" '^6 < HelloRetryRequest TLS1.3 TLS_AES_256_GCM_SHA384 group=x25519$' \
    "tls13-hrr: HelloRetryRequest recognised by its random"
out=$("$DUMP" "$srcdir/tls/tls12.pcap")
like "$out" '^8 < ServerKeyExchange ECDHE x25519, public key 32 bytes$' \
    "tls12: ServerKeyExchange, its record split over two segments, in the frame that ends it"
like "$out" '^6 < Certificate 1 certificate: 1297 bytes; subject CN=example\.com \(self-signed\)$' \
    "tls12: Certificate: count, lengths, the first one's names"
like "$out" '^10 > encrypted handshake 40 bytes \(Finished\)$' \
    "tls12: Finished after ChangeCipherSpec is encrypted"
out=$("$DUMP" "$srcdir/tls/tls13-resume.pcap")
like "$out" '^30 < ServerHello TLS1.3 TLS_AES_256_GCM_SHA384 group=x25519 resumed$' \
    "tls13-resume: the second connection resumes (pre_shared_key)"
out=$("$DUMP" "$srcdir/tls/tls12-resume.pcap")
like "$out" '^29 < ServerHello TLS1.2 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 resumed$' \
    "tls12-resume: the second connection resumes (session id echoed)"

if [ "$(id -u)" = 0 ] && command -v openssl >/dev/null &&
    command -v tcpdump >/dev/null; then
	if timeout 120 bash "$srcdir/tls/capture.sh" "$TMP/fresh" >"$TMP/cap.log" 2>&1; then
		for pcap in "$TMP"/fresh/*.pcap; do
			compare "$pcap" "fresh $(basename "$pcap")"
		done
	else
		ok 1 "tests/tls/capture.sh made fresh captures"
		sed 's/^/#   /' "$TMP/cap.log" | head
	fi
else
	skip "fresh captures need root, openssl and tcpdump"
fi
done_testing
