#!/bin/bash
# tests/view.sh: "sockkit view" options, filters and failure paths.
. "$srcdir/lib.sh"
need_cmd tcpdump
plan 21
g="$srcdir/golden"

out=$("$SOCKKIT" view /nonexistent.pcap 2>&1); rc=$?
is "$rc" 1 "missing file: exit 1"
like "$out" '^sockkit: view /nonexistent.pcap: ' "missing file: message names it"

out=$("$SOCKKIT" view "$g/close-client.pcap" 'tcp port (' 2>&1); rc=$?
is "$rc" 2 "bad filter: exit 2"
like "$out" "^sockkit: view: bad filter 'tcp port \\(':" "bad filter: message"

out=$("$SOCKKIT" view --summary "$g/udp-icmp.pcap" udp port 5620 2>&1)
is "$(printf '%s\n' "$out" | wc -l)" 1 "filter as separate words keeps one conversation"

out=$("$SOCKKIT" view --conv 0 "$g/close-client.pcap" 2>&1); rc=$?
is "$rc" 2 "--conv 0: exit 2"
out=$("$SOCKKIT" view --color=sometimes "$g/close-client.pcap" 2>&1); rc=$?
is "$rc" 2 "--color=sometimes: exit 2"
like "$out" "auto, always or never" "--color: says what it takes"
out=$("$SOCKKIT" view 2>&1); rc=$?
is "$rc" 2 "no file: exit 2"

printf 'not a capture\n' >"$TMP/junk.pcap"
out=$("$SOCKKIT" view "$TMP/junk.pcap" 2>&1); rc=$?
is "$rc" 1 "not a capture: exit 1"

# pcapng and reading from stdin.
tcpdump -r "$g/close-client.pcap" -w - 2>/dev/null | \
    "$SOCKKIT" view --summary - >"$TMP/stdin.out" 2>&1
like "$(cat "$TMP/stdin.out")" ' SF 11 pkts ' "reads a capture from stdin"
if command -v editcap >/dev/null; then
	editcap -F pcapng "$g/close-client.pcap" "$TMP/c.pcapng" 2>/dev/null
	is "$("$SOCKKIT" view "$TMP/c.pcapng" | tail -1)" \
	    "$("$SOCKKIT" view "$g/close-client.pcap" | tail -1)" "pcapng reads like pcap"
else
	skip "needs editcap"
fi

# JSON lines parse, and every packet is one object.
if command -v python3 >/dev/null; then
	"$SOCKKIT" view --json --data-preview 64 "$g/bulk.pcap" >"$TMP/j" 2>&1
	python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' \
	    "$TMP/j"; ok $? "every --json line is valid JSON"
	is "$(grep -c '"type":"packet"' "$TMP/j")" \
	    "$(tcpdump -r "$g/bulk.pcap" 2>/dev/null | wc -l)" "one JSON object per packet"
else
	skip "needs python3"; skip "needs python3"
fi
# The capture options of connect and listen: usage errors first.
out=$("$SOCKKIT" connect --linger-capture abc 127.0.0.1 1 2>&1); rc=$?
is "$rc" 2 "--linger-capture abc: exit 2"
out=$("$SOCKKIT" connect --trace -U "$TMP/sock" 2>&1); rc=$?
is "$rc" 2 "--trace with -U: exit 2"
out=$("$SOCKKIT" listen --data-preview -1 0 2>&1); rc=$?
is "$rc" 2 "--data-preview -1: exit 2"
if [ "$(id -u)" = 0 ]; then
	out=$("$SOCKKIT" connect --write "$TMP/no/such/dir.pcap" 127.0.0.1 1 2>&1)
	like "$out" "^sockkit: connect: --write $TMP/no/such/dir.pcap: " \
	    "--write to a missing directory: says so"
else
	skip "needs root"
fi
# A picture that cannot be written: said before anything is drawn.
out=$("$SOCKKIT" view --svg /nonexistent/dir/x.svg "$g/close-client.pcap" \
    2>"$TMP/err"); rc=$?
is "$rc/$out" "1/" "--svg in a missing directory: exit 1, no ladder drawn"
is "$(cat "$TMP/err")" "sockkit: view: --svg /nonexistent/dir/x.svg: No such file or directory" \
    "--svg in a missing directory: one line names it"
"$SOCKKIT" view --svg "$TMP/ok.svg" --html /nonexistent/dir/x.html \
    "$g/close-client.pcap" >/dev/null 2>&1
is "$?/$(ls "$TMP" | grep -c 'ok\.svg')" "1/0" \
    "--html that cannot be written: exit 1, the --svg file not left behind"
done_testing
