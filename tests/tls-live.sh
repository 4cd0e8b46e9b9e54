#!/bin/bash
# tests/tls-live.sh: the live ladder of sockkit's own TLS connection is
# drawn decrypted, with no key log file: the secrets come from OpenSSL's
# key log callback.  connect --tls against openssl s_server and listen
# --tls against s_client; what the live ladder draws is what view
# --keylog draws from the --write capture of the same run (and
# tests/tls-truth.sh holds view to tshark).  Then "sockkit demo tls"
# shows what its title says.
. "$srcdir/lib.sh"
need_root
need_cmd python3
. "$srcdir/tls-lib.sh"

make_ca ca && make_cert srv ca 30 DNS:localhost IP:127.0.0.1 ||
    skip_all "openssl cannot make a CA here"

# msgs FILE: the TLS events of a JSON ladder, one a line: frame, direction,
# event, name, whether decrypted, detail.
msgs() {
	python3 -c '
import json, sys
for line in open(sys.argv[1]):
    try:
        e = json.loads(line)
    except ValueError:
        continue
    if e.get("type") == "tls":
        print(e["frame"], e["dir"], e["event"], e["name"],
              "decrypted" if e["decrypted"] else "-", e["detail"])' "$1"
}

# names FILE: the decrypted handshake messages and alerts, in order.
names() {
	msgs "$1" | awk '$5 == "decrypted" && ($3 == "message" ||
	    $4 == "Alert") { printf "%s%s", s, $4; s = " " }'
}

# feed LINE: LINE, then input open a while (the peer answers first).
feed() { printf '%s\n' "$1"; sleep 1; }

want="EncryptedExtensions Certificate CertificateVerify Finished Finished"
want="$want NewSessionTicket NewSessionTicket Alert Alert"

plan 24
# connect --tls, no key log file.
s_server srv -nbio < <(feed "from the server")
feed "from the client" | timeout 20 "$SOCKKIT" connect --tls \
    --ca-file "$PKI/ca.pem" --json --data-preview 32 127.0.0.1 "$port" \
    >"$TMP/c.out" 2>"$TMP/live.json"
is "$?" 0 "connect --tls --json: exit 0"
wait_pid "$spid" 10
is "$(names "$TMP/live.json")" "$want" "connect --tls: the TLS 1.3 handshake, tickets and close_notify drawn decrypted"
like "$(msgs "$TMP/live.json" | grep 'application data')" \
    'B>A record application data decrypted 16 bytes "from the server\\n"' \
    "--data-preview: the plaintext beside the record"

# The same with --keylog FILE and --write: live equals view.
s_server srv -nbio < <(feed "again")
feed "again" | timeout 20 "$SOCKKIT" connect --tls --ca-file "$PKI/ca.pem" \
    --json --keylog "$TMP/keys" --write "$TMP/cap.pcap" 127.0.0.1 "$port" \
    >/dev/null 2>"$TMP/live2.json"
is "$?" 0 "connect --tls --keylog --write: exit 0"
wait_pid "$spid" 10
"$SOCKKIT" view --json --keylog "$TMP/keys" "$TMP/cap.pcap" \
    >"$TMP/view.json" 2>/dev/null
msgs "$TMP/live2.json" >"$TMP/live2.msgs"
msgs "$TMP/view.json" >"$TMP/view.msgs"
cmp -s "$TMP/live2.msgs" "$TMP/view.msgs"
ok $? "the live ladder's TLS events are view --keylog's on the capture"
diff "$TMP/live2.msgs" "$TMP/view.msgs" | head -5 | sed 's/^/# /'
[ "$(grep -c decrypted "$TMP/live2.msgs")" -ge 9 ]
ok $? "and they are decrypted ($(grep -c decrypted "$TMP/live2.msgs") events)"

# listen --tls (its ephemeral certificate) against s_client.
serve srv2 "$SOCKKIT" listen --tls --json 127.0.0.1 0 < <(feed "to the client")
feed "to the server" | timeout 20 openssl s_client -quiet -nbio \
    -connect "127.0.0.1:$port" >"$TMP/sc.out" 2>"$TMP/sc.err"
wait_pid "$pid" 10
is "$?" 0 "listen --tls --json: exit 0"
like "$(names "$TMP/srv2.err")" "^EncryptedExtensions Certificate CertificateVerify Finished Finished" \
    "listen --tls: the handshake drawn decrypted"
like "$(msgs "$TMP/srv2.err" | awk '$4 == "Finished" { print $2 }' | tr '\n' ' ')" \
    '^B>A A>B $' "listen --tls: the server's Finished, then the client's"

# Bulk: 1 MiB in records of 16 KiB.  Without --data-preview their type
# is read from the last block, with it they are opened whole; the same
# records and bytes either way.  bulk_sum FILE: "records bytes peeked"
# of the A>B application data.
bulk_sum() {
	python3 -c '
import json, re, sys
n = b = p = 0
for line in open(sys.argv[1]):
    try:
        e = json.loads(line)
    except ValueError:
        continue
    if e.get("type") == "tls" and e["dir"] == "A>B" and \
       e["name"] == "application data" and e["decrypted"]:
        n += 1
        b += int(re.match(r"(\d+) bytes", e["detail"]).group(1))
        p += e.get("peeked", False)
print(n, b, p)' "$1"
}
head -c 1048576 /dev/urandom >"$TMP/bulk"
for pv in "" "--data-preview 8"; do
	serve bulk "$SOCKKIT" listen --tls 127.0.0.1 0 </dev/null
	timeout 20 "$SOCKKIT" connect --tls --insecure --json $pv 127.0.0.1 \
	    "$port" <"$TMP/bulk" >/dev/null 2>"$TMP/bulk.json"
	wait_pid "$pid" 10
	set -- $(bulk_sum "$TMP/bulk.json")
	if [ -z "$pv" ]; then
		is "$2" 1048576 "bulk: every byte in decrypted records"
		[ "$3" -gt 0 ] && [ "$3" -lt "$1" ]
		ok $? "bulk: records after the first of their key read from their last block ($3 of $1)"
	else
		is "$2 $3" "1048576 0" "bulk, --data-preview: every record opened whole"
	fi
done
# The other two suites, from openssl s_server: a wrong keystream would
# give a random type, and the record would be opened whole instead.
for cs in TLS_AES_128_GCM_SHA256 TLS_CHACHA20_POLY1305_SHA256; do
	s_server srv -ciphersuites "$cs"
	timeout 20 "$SOCKKIT" connect --tls --insecure --json 127.0.0.1 \
	    "$port" <"$TMP/bulk" >/dev/null 2>"$TMP/bulk.json"
	wait_pid "$spid" 10
	set -- $(bulk_sum "$TMP/bulk.json")
	[ "$2" = 1048576 ] && [ "$3" -gt 0 ] && [ "$3" -lt "$1" ] &&
	    grep -q "TLS 1.3, $cs" "$TMP/bulk.json"
	ok $? "bulk, $cs: every byte, $3 of $1 records read from their last block"
done

# Once the drawing has every key of a connection, its segments are
# decoded as they are captured and wait to be drawn with their headers
# only.  What the live ladder draws stays what view draws from the same
# capture, on either end of a bulk transfer.
# live_vs_view NAME LIVE KEYS PCAP: the live JSON ladder LIVE (with -v)
# against view's.
live_vs_view() {
	"$SOCKKIT" view --json --keylog "$3" "$4" >"$TMP/lv.view" 2>/dev/null
	msgs "$2" >"$TMP/lv.live.msgs"
	msgs "$TMP/lv.view" >"$TMP/lv.view.msgs"
	n=$(grep -c "application data" "$TMP/lv.live.msgs")
	cmp -s "$TMP/lv.live.msgs" "$TMP/lv.view.msgs" && [ "$n" -ge 64 ]
	ok $? "$1, 1 MiB: the live TLS events are view's ($n application data records)"
	diff "$TMP/lv.live.msgs" "$TMP/lv.view.msgs" | head -5 | sed 's/^/# /'
	n=$(sed -n 's/.*the TLS of \([0-9,]*\) of them decoded as they were captured$/\1/p' "$2" | tr -d ,)
	[ "${n:-0}" -ge 10 ]
	ok $? "$1: the TLS of ${n:-no} packets decoded as they were captured (-v)"
}
serve bulk "$SOCKKIT" listen --tls 127.0.0.1 0 </dev/null
timeout 20 "$SOCKKIT" connect --tls --insecure --json -v --keylog "$TMP/ck" \
    --write "$TMP/c.pcap" 127.0.0.1 "$port" <"$TMP/bulk" >/dev/null \
    2>"$TMP/cb.json"
wait_pid "$pid" 10
live_vs_view "connect --tls --trace" "$TMP/cb.json" "$TMP/ck" "$TMP/c.pcap"
serve lb "$SOCKKIT" listen --tls --json -v --keylog "$TMP/lk" \
    --write "$TMP/l.pcap" 127.0.0.1 0 </dev/null
timeout 20 "$SOCKKIT" connect --tls --insecure 127.0.0.1 "$port" \
    <"$TMP/bulk" >/dev/null 2>&1
wait_pid "$pid" 10
live_vs_view "listen --tls --trace" "$TMP/lb.err" "$TMP/lk" "$TMP/l.pcap"

# demo tls: sockkit's own server and client, drawn.
"$SOCKKIT" demo --ascii --color=never tls >"$TMP/demo" 2>&1 </dev/null
is "$?" 0 "demo tls exits 0"
out=$(grep -Eo 'TLS [A-Za-z]+( [a-z_]+ [a-z_]+)? .*\(decrypted\)$' "$TMP/demo" |
    sed 's/ [^ ]*$//' | awk '{ print $2 }' | tr '\n' ' ')
like "$out" "^EncryptedExtensions Certificate CertificateVerify Finished Finished " \
    "demo tls: the handshake decrypted"
# The tickets and the lines may interleave.
is "$(printf '%s\n' $out | sed 1,5d | sort | uniq -c | tr -s ' \n' ' ')" \
    " 2 Alert 2 NewSessionTicket 2 application " \
    "demo tls: 2 tickets, a line each way and close_notify both ways, decrypted"
like "$(cat "$TMP/demo")" "Certificate 1 certificate: [0-9]+ bytes; subject CN=sockkit \(self-signed\)" \
    "demo tls: the server's ephemeral certificate named"
awk '/client: SSL_shutdown\(\): close_notify/ { c = NR }
    c && /server: SSL_read\(\) = 0: close_notify/ { s = NR }
    s && /client: close\(\); A: ESTABLISHED -> FIN_WAIT_1/ { ok = 1 }
    END { exit !ok }' "$TMP/demo"
ok $? "demo tls: close_notify both ways, then TCP's close"
like "$(grep 'verdict:' "$TMP/demo")" "verdict: TLS 1\.3, TLS_[A-Z0-9_]+, closed with close_notify by A" \
    "demo tls: the verdict names the version, the suite and the close"
done_testing
