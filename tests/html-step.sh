#!/bin/bash
# tests/html-step.sh: the --html page's step slider, for a lecture: the
# page is well-formed, carries the slider, and in a browser (Chromium,
# headless) "#step=N" shows the first N rows of the ladder (arrows,
# states and notes) and hides the rest; without it everything shows.
. "$srcdir/lib.sh"
need_cmd python3

plan 7
pcap=$srcdir/golden/close-client.pcap
"$SOCKKIT" view --html "$TMP/p.html" "$pcap" >/dev/null 2>&1
is "$?" 0 "view --html writes the page"

# shown DOM: "ARROWS-SHOWN/ARROWS TEXTS..." of the ladder of a page
# Chromium ran: the arrows shown of all, then the texts shown, in order.
shown() {
	python3 -c '
import re, sys
d = open(sys.argv[1]).read()
d = d[d.index("<div id=\"ladder\">"):]
d = d[:d.index("</svg>")]
g = re.findall(r"<g class=\"pkt[^\"]*\"[^>]*>", d)
d = re.sub(r"<g class=\"pkt[^>]*hidden[^>]*>.*?</g>", "", d, flags=re.S)
t = [m.group(2) for m in re.finditer(
    r"<text([^>]*)>([^<]*)</text>", d) if "hidden" not in m.group(1)]
print("%d/%d %s" % (len([x for x in g if "hidden" not in x]), len(g),
                    " ".join(t)))' "$1"
}

like "$(cat "$TMP/p.html")" '<input type="range" id="step" min="1" value="1"/>' \
    "the page has the step slider"
if command -v xmllint >/dev/null; then
	xmllint --noout "$TMP/p.html" 2>"$TMP/xml.err"
	ok $? "the page, script and all, is well-formed XML"
	sed 's/^/# /' "$TMP/xml.err" | head -3
else
	skip "needs xmllint (libxml2-utils)"
fi
if command -v chromium >/dev/null; then
	dom() {
		timeout 120 chromium --headless --no-sandbox --disable-gpu \
		    --user-data-dir="$TMP/chromium" --dump-dom \
		    "file://$TMP/p.html$1" 2>/dev/null >"$TMP/dom.html"
		shown "$TMP/dom.html"
	}
	out=$(dom "#step=1")
	like "$out" "^1/11 .* 0\.000 SYN seq=0 [^A-Z]*ISN [^A-Z]*win=[0-9]+ mss=[0-9]+ ws=10 sack ts SYN_SENT$" \
	    "#step=1: the SYN alone, and A's SYN_SENT"
	out=$(dom "#step=3")
	like "$out" "^3/11 .*SYN_RECEIVED handshake RTT [0-9.]+ ms \(SYN to SYN,ACK\) 0\.[0-9]+ ACK ack=1 win=[0-9]+ ESTABLISHED ESTABLISHED$" \
	    "#step=3: the handshake, its note and both ESTABLISHED, nothing after"
	like "$(grep -o '<span id="stepn">[^<]*' "$TMP/dom.html")" "row 3 of 11" \
	    "the page says which row of how many"
	out=$(dom "")
	like "$out" "^11/11 " "without a step everything shows"
else
	skip_n 4 "needs chromium"
fi
done_testing
