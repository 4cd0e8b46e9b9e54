#!/bin/bash
# tests/probe-banner.sh: probe --banner against socat services on
# 127.0.0.1: one that greets with a line, one that sends nothing, one that
# sends binary bytes.  The first bytes are in the table (nmap's
# "|_banner:" line), in --json and in -oX (a <script id="banner"> under
# the port, valid against nmap's DTD), escaped the same way everywhere.
. "${srcdir:-tests}/lib.sh"
need_cmd socat python3

cd "$TMP" || exit 1
printf '220 sockkit test ready\r\n' >greet
printf '\000\001\377<&>"\\' >binary
# serve FILE: a service that sends FILE to each client, then stays 2 s;
# its port in $port.
serve_file() {
	bg socat -d -d TCP-LISTEN:0,bind=127.0.0.1,fork,reuseaddr \
	    SYSTEM:"cat $TMP/$1; sleep 2" </dev/null >/dev/null 2>"$TMP/$1.err"
	port=$(socat_port "$TMP/$1.err") && [ -n "$port" ]
}
: >silent
serve_file greet && G=$port && serve_file silent && S=$port &&
    serve_file binary && B=$port || skip_all "socat did not listen"
C=$(free_port)
plan 13

out=$($SOCKKIT probe --banner -p $G,$S,$B,$C 127.0.0.1); rc=$?
is $rc 0 "exit 0"
like "$out" "^$G/tcp +open .*
\|_banner: 220 sockkit test ready\\\\r\\\\n$" "the greeting, under its port"
like "$out" "^$B/tcp +open .*
\|_banner: \\\\x00\\\\x01\\\\xff<&>\"\\\\\\\\$" "binary bytes escaped"
is "$(echo "$out" | grep -A1 "^$S/tcp" | grep -c banner)" 0 \
    "a silent service: no banner line"
like "$out" "^127\.0\.0\.1: 4 ports: 3 open, 1 closed$" "the summary as without"

$SOCKKIT probe --banner=1000 --json -p $G,$S,$B,$C 127.0.0.1 >j.out
is "$(python3 -c '
import json, sys
for line in open("j.out"):
    o = json.loads(line)
    if o["type"] == "port":
        print(o["port"], o["state"], repr(o.get("banner")))
' | sort -n | tr '\n' ';')" \
    "$(printf '%s\n' "$G open '220 sockkit test ready\\\\r\\\\n'" \
    "$S open ''" "$B open '\\\\x00\\\\x01\\\\xff<&>\"\\\\\\\\'" | sort -n |
    tr '\n' ';')" "--json: each open port's banner, '' for none"
$SOCKKIT probe -a --json -p $C 127.0.0.1 | grep -q banner
ok $((! $?)) "--json without --banner: no banner member"

$SOCKKIT probe --banner -p $G,$S,$B -oX r.xml 127.0.0.1 >/dev/null
x=$(cat r.xml)
like "$x" "portid=\"$G\"><state [^>]*/>(<service [^>]*/>)?<script id=\"banner\" output=\"220 sockkit test ready\\\\r\\\\n\"/></port>" \
    "-oX: the greeting as nmap's banner script"
like "$x" "portid=\"$B\">.*<script id=\"banner\" output=\"\\\\x00\\\\x01\\\\xff&lt;&amp;&gt;&quot;\\\\\\\\\"/>" \
    "-oX: binary bytes escaped, then as XML"
like "$x" "portid=\"$S\"><state [^>]*/>(<service [^>]*/>)?</port>" \
    "-oX: no script for the silent port"
if command -v xmllint >/dev/null && [ -r /usr/share/nmap/nmap.dtd ]; then
	xmllint --noout --dtdvalid /usr/share/nmap/nmap.dtd r.xml
	ok $? "-oX: valid against nmap.dtd"
else
	skip "xmllint or /usr/share/nmap/nmap.dtd (nmap's package) is missing"
fi

# The silent port waits its 3 s alone: the other ports are settled and
# printed (--open streams) while it waits.
$SOCKKIT probe --open --banner=3000 -p $S,$G 127.0.0.1 >w.out 2>&1 &
pid=$!
_pids="$_pids $pid"
wait_for_line w.out "^\|_banner: 220" 3
ok $? "--open: a banner is out while another port still waits for one"
kill -0 $pid 2>/dev/null
ok $? "and the probe still runs"
done_testing
