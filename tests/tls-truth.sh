#!/bin/bash
# tests/tls-truth.sh: with a key log, the TLS handshake messages and
# alerts sockkit view draws (--json) are exactly those tshark reads with
# the same key log (tshark -o tls.keylog_file:FILE -Y tls): the same
# types, in the same order, in the same frames.  The captures of tests/tls
# with their key logs, and with root, openssl and tcpdump fresh ones made
# by tests/tls/capture.sh.  Then what --keylog refuses.
. "$srcdir/lib.sh"
need_cmd tshark python3
export TZ=UTC LC_ALL=C

unlike() {	# unlike TEXT EXTENDED-REGEX DESCRIPTION
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		ok 1 "$3"; echo "#   matched /$2/"; else ok 0 "$3"; fi
}

# compare PCAP KEYS NAME: sockkit's lines and tshark's, the same.
compare() {
	"$SOCKKIT" view --json --keylog "$2" "$1" 2>"$TMP/err" |
	    python3 "$srcdir/tls-truth.py" sockkit >"$TMP/ours"
	timeout 60 tshark -n -r "$1" -o "tls.keylog_file:$2" -Y tls -T fields \
	    -E occurrence=a -E aggregator=, -e frame.number \
	    -e tls.handshake.type -e tls.alert_message.desc 2>/dev/null |
	    python3 "$srcdir/tls-truth.py" tshark >"$TMP/tshark"
	if [ -s "$TMP/ours" ] && diff "$TMP/tshark" "$TMP/ours" >"$TMP/diff"
	then ok 0 "$3: as tshark decrypts it ($(wc -l <"$TMP/ours") frames)"
	else ok 1 "$3: as tshark decrypts it"; sed 's/^/#   /' "$TMP/diff" | head -20
	fi
	# The handshake's encrypted messages, all read: EncryptedExtensions,
	# Certificate, CertificateVerify, both Finished.
	like "$(awk '$2 == "hs" { printf "%s,", $3 }' "$TMP/ours")" \
	    '(^|,)8,11,15,20,20,' "$3: EncryptedExtensions to Finished decrypted"
}

for keys in "$srcdir"/tls/*.keys; do
	compare "${keys%.keys}.pcap" "$keys" "$(basename "${keys%.keys}")"
done

if [ "$(id -u)" = 0 ] && command -v openssl >/dev/null &&
    command -v tcpdump >/dev/null; then
	if timeout 120 bash "$srcdir/tls/capture.sh" "$TMP/fresh" tls13-keylog \
	    tls13-chacha-keylog tls13-aes128-keylog >"$TMP/cap.log" 2>&1; then
		for keys in "$TMP"/fresh/*.keys; do
			compare "${keys%.keys}.pcap" "$keys" \
			    "fresh $(basename "${keys%.keys}")"
		done
	else
		ok 1 "tests/tls/capture.sh made fresh captures"
		sed 's/^/#   /' "$TMP/cap.log" | head
	fi
else
	skip "fresh captures need root, openssl and tcpdump"
fi

# What is drawn with the keys and without.
k13=$srcdir/tls/tls13-keylog
out=$("$SOCKKIT" view --keylog "$k13.keys" "$k13.pcap")
like "$out" 'verdict: TLS 1\.3, TLS_AES_256_GCM_SHA384, h2, closed with close_notify by A;' \
    "the verdict: version, cipher, ALPN, who sent close_notify"
like "$out" 'TLS KeyUpdate update_requested \(decrypted\)' "a KeyUpdate named"
unlike "$out" 'hello, server' "application data stays encrypted without --data-preview"
out=$("$SOCKKIT" view --data-preview 5 --keylog "$k13.keys" "$k13.pcap")
like "$out" 'TLS application data 14 bytes "hello"\.\.\. \(decrypted\)' \
    "--data-preview shows the plaintext"
out=$("$SOCKKIT" view "$k13.pcap")
like "$out" 'its close encrypted \(--keylog FILE reads it\)' "without keys: said"
unlike "$out" 'decrypted' "without keys: nothing decrypted"

# A key log of another connection: nothing decrypted, nothing wrong.
out=$("$SOCKKIT" view --keylog "$srcdir/tls/tls13-aes128-keylog.keys" "$k13.pcap")
is "$?" 0 "a key log without this connection: exit 0"
unlike "$out" 'decrypted' "a key log without this connection: nothing decrypted"

# A secret of the wrong value: the records do not open, and stay named.
sed 's/^\(SERVER_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]* \)./\10/;s/^\(SERVER_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]* \)0/\11/' \
    "$k13.keys" >"$TMP/bad.keys"
out=$("$SOCKKIT" view --keylog "$TMP/bad.keys" "$k13.pcap")
like "$out" 'TLS encrypted handshake 1327 bytes' "a wrong server secret: its flight stays encrypted"
like "$out" 'TLS Finished 48 bytes \(decrypted\)' "... the client's still opens"

# What --keylog refuses: exit 1, one line naming the file and the line.
"$SOCKKIT" view --keylog "$TMP/none.keys" "$k13.pcap" >/dev/null 2>"$TMP/err"
is "$?" 1 "a missing key log: exit 1"
like "$(cat "$TMP/err")" "^sockkit: view: --keylog $TMP/none.keys: No such file" \
    "a missing key log: named"
printf '# a comment\n\nCLIENT_RANDOM 00 11\n' >"$TMP/short.keys"
"$SOCKKIT" view --keylog "$TMP/short.keys" "$k13.pcap" >/dev/null 2>"$TMP/err"
is "$?" 1 "a malformed key log: exit 1"
like "$(cat "$TMP/err")" '^sockkit: view: --keylog .*short.keys: line 3: CLIENT_RANDOM: the client random is not 64 hex digits$' \
    "a malformed key log: the line and the reason"
is "$(wc -l <"$TMP/err")" 1 "a malformed key log: one line"
printf 'RSA 0011 2233\nCLIENT_HANDSHAKE_TRAFFIC_SECRET %064d zz\n' 0 >"$TMP/hex.keys"
"$SOCKKIT" view --keylog "$TMP/hex.keys" "$k13.pcap" >/dev/null 2>"$TMP/err"
like "$(cat "$TMP/err")" 'line 2: CLIENT_HANDSHAKE_TRAFFIC_SECRET: the secret is not 2 to 128 hex digits$' \
    "a secret that is not hex: the line (RSA lines are skipped)"
done_testing
