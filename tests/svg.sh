#!/bin/bash
# tests/svg.sh: "sockkit view --svg/--html" on every golden pcap: a
# well-formed document with one arrow per packet, pointing the packet's
# way, falling as it goes, in time order; markup, quotes and control bytes from the wire stay text;
# the HTML page holds the picture and the ladder.
. "$srcdir/lib.sh"
need_cmd xmllint python3
H="python3 $srcdir/svg-helper.py"
g="$srcdir/golden"

mapfile -t pcaps < <(golden_pcaps)
plan $(( ${#pcaps[@]} * 2 + 27 ))

for p in "${pcaps[@]}"; do
	"$SOCKKIT" view --svg "$TMP/out.svg" "$g/$p" >/dev/null 2>&1
	xmllint --noout "$TMP/out.svg" 2>"$TMP/lint"
	ok $? "$p: the SVG is well-formed $(head -c 200 "$TMP/lint")"
	"$SOCKKIT" view --json "$g/$p" >"$TMP/out.json" 2>/dev/null
	like "$($H arrows "$TMP/out.svg" "$TMP/out.json" 2>&1)" '^same [0-9]+$' \
	    "$p: one arrow per packet, each in the packet's direction"
done

# The lanes: states where they change, folded gaps, this host unmarked.
"$SOCKKIT" view --svg "$TMP/cc.svg" "$g/close-client.pcap" >/dev/null
for st in SYN_SENT SYN_RECEIVED ESTABLISHED FIN_WAIT_1 CLOSE_WAIT FIN_WAIT_2 \
    LAST_ACK TIME_WAIT; do
	grep -q "class=\"state\">$st<" "$TMP/cc.svg" || break
done
is "$st" TIME_WAIT "close-client: every state change on its lane"
grep -q 'ms without events (folded)' "$TMP/cc.svg"
ok $? "close-client: the 160 ms wait for the last FIN is folded"
grep -q 'this host' "$TMP/cc.svg"
ok $(( ! $? )) "a file's picture marks no end as this host"

"$SOCKKIT" view --svg "$TMP/lone.svg" "$g/lone-udp.pcap" >/dev/null
grep -q '1 packet (A 1, B 0), A-&gt;B 1 byte, B-&gt;A 0 bytes' "$TMP/lone.svg"
ok $? "lone-udp: one packet and one byte said in the singular"

# The picture's counts are the ladder's: UDP has no retransmissions to
# count; TCP's bytes are delivered and on the wire, each labelled.
"$SOCKKIT" view --svg "$TMP/udp.svg" "$g/udp-icmp.pcap" >/dev/null
grep -c 'retransmission' "$TMP/udp.svg" >"$TMP/n"
is "$(cat "$TMP/n")" 0 "udp-icmp: the picture's UDP verdicts name no retransmissions"
"$SOCKKIT" view --svg "$TMP/bulk.svg" "$g/bulk.pcap" |
    sed -n 's/.*verdict: [^;]*; //p' >"$TMP/counts"
grep -qF "$(sed 's/->/-\&gt;/g' "$TMP/counts")" "$TMP/bulk.svg"
ok $? "bulk: the picture's counts are the ladder's ($(cat "$TMP/counts"))"

# --conv N: that conversation alone; "-": the picture on stdout alone.
"$SOCKKIT" view --conv 2 --svg - "$g/udp-icmp.pcap" >"$TMP/conv.svg"
convs=$(grep -o 'class="conv" data-conv="[0-9]*"' "$TMP/conv.svg" | sort -u)
is "$convs" 'class="conv" data-conv="2"' "--conv 2: only conversation 2 drawn"
xmllint --noout "$TMP/conv.svg"
ok $? "--svg -: stdout holds nothing but the document"

# Hostile bytes: markup, quotes, NUL, ESC and bytes that are not UTF-8.
$H hostile "$TMP/evil.pcap"
"$SOCKKIT" view --data-preview 64 --svg "$TMP/evil.svg" \
    --html "$TMP/evil.html" "$TMP/evil.pcap" >"$TMP/evil.txt"
is $? 0 "hostile payload: exit 0"
xmllint --noout "$TMP/evil.svg"
ok $? "hostile payload: the SVG is well-formed"
xmllint --noout "$TMP/evil.html"
ok $? "hostile payload: the HTML is well-formed XML"
# (The page's one script is its own step slider.)
! grep -q '<script' "$TMP/evil.svg" &&
    [ "$(grep -c '<script' "$TMP/evil.html")" = 1 ] &&
    grep -q '^<script>//<!\[CDATA\[$' "$TMP/evil.html" &&
    ! grep -q '<script>alert' "$TMP/evil.html"
ok $? "hostile payload: no markup from the wire"
grep -q '&lt;script&gt;alert(\\&quot;x&amp;y' "$TMP/evil.svg"
ok $? "hostile payload: shown as escaped text"
LC_ALL=C grep -qP '[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]' "$TMP/evil.svg" \
    "$TMP/evil.html"
ok $(( ! $? )) "hostile payload: no control bytes in the documents"
iconv -f UTF-8 -t UTF-8 "$TMP/evil.html" >/dev/null 2>&1
ok $? "hostile payload: the HTML is valid UTF-8"
is "$(grep -c 'class="pkt' "$TMP/evil.svg")" 6 "hostile payload: 6 arrows"
is "$(grep -c 'class="pkt[^"]* rst' "$TMP/evil.svg")" 1 \
    "the RST arrow has its own class (dashed)"

# --html: a page the HTML parser takes (it only does not know SVG's tags),
# the picture inline, the ladder under it.
"$SOCKKIT" view --html "$TMP/page.html" "$g/close-client.pcap" >"$TMP/ladder"
xmllint --html --noout "$TMP/page.html" 2>&1 |
    grep 'error' | grep -v 'Tag [a-z]* invalid' >"$TMP/htmlerr"
is "$(cat "$TMP/htmlerr")" "" "--html: xmllint --html finds nothing wrong"
grep -q '<svg xmlns="http://www.w3.org/2000/svg"' "$TMP/page.html"
ok $? "--html: the SVG is inline"
python3 - "$TMP/page.html" "$TMP/ladder" <<'PY'
import html, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
pre = re.search(r'<pre class="transcript">(.*)</pre>', page, re.S)
sys.exit(0 if pre and html.unescape(pre.group(1)) ==
         open(sys.argv[2], encoding="utf-8").read() else 1)
PY
ok $? "--html: the transcript is the ladder view prints"
grep -qE '(src|href)="(https?:)?//' "$TMP/page.html"
ok $(( ! $? )) "--html: no external resources"

# A bounded picture: past 20000 packets the rest are counted, not drawn.
$H many "$TMP/many.pcap" 20005
"$SOCKKIT" view --svg "$TMP/many.svg" "$TMP/many.pcap" >/dev/null \
    2>"$TMP/many.err"
is "$(grep -c 'class="pkt' "$TMP/many.svg")" 20000 "20005 packets: 20000 arrows"
grep -q '>5 packets not drawn: the picture&#39;s budget is 1000 conversations and 20000 packets and calls' \
    "$TMP/many.svg"
ok $? "20005 packets: the 5 not drawn are counted in the picture"
like "$(cat "$TMP/many.err")" \
    "^sockkit: view: --svg $TMP/many.svg: 5 packets not drawn: the picture's budget is " \
    "20005 packets: and on stderr"
xmllint --noout "$TMP/many.svg"
ok $? "20005 packets: well-formed"

out=$("$SOCKKIT" view --svg /nonexistent/dir/x.svg "$g/refused.pcap" 2>&1 \
    >/dev/null); rc=$?
is "$rc" 1 "unwritable --svg: exit 1"
like "$out" '^sockkit: view: --svg /nonexistent/dir/x.svg: No such file' \
    "unwritable --svg: the message names the file"
done_testing
