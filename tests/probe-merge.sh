#!/bin/bash
# tests/probe-merge.sh: probe --merge joins nmap XML reports: the two
# shards of a job merged give the report of the whole job (the same ports,
# states and counts), valid against nmap's DTD where it is installed; a
# file that is no report, a UDP scan with a TCP one, or reports that
# overlap (a host given more ports than were scanned) are refused.
. "${srcdir:-tests}/lib.sh"
cd "$TMP" || exit 1

P=$(free_port)
bg "$SOCKKIT" listen -k --mode discard 127.0.0.1 "$P" </dev/null >/dev/null 2>l.err
wait_for_line l.err '^Listening on ' 5 || skip_all "no listener"
ports="-p 1-2000,$P"
"$SOCKKIT" probe $ports --shard 1/2 127.0.0.1 127.0.0.2 -oX s1.xml >/dev/null
"$SOCKKIT" probe $ports --shard 2/2 127.0.0.1 127.0.0.2 -oX s2.xml >/dev/null
"$SOCKKIT" probe $ports 127.0.0.1 127.0.0.2 -oX whole.xml >whole.out

"$SOCKKIT" probe --merge s1.xml s2.xml -oX m.xml -oG m.gnmap >m.out 2>m.err
is $? 0 "--merge: exit 0 (a port is open)"
body() { grep -E '<(port|extraports|extrareasons|address) ' "$1"; }
is "$(body m.xml)" "$(body whole.xml)" "the shards merged are the whole job"
like "$(cat m.out)" "127\.0\.0\.1: 2001 ports: 1 open, 2000 closed" \
    "the table counts every port of a host, from both files"
like "$(cat m.gnmap)" "Host: 127\.0\.0\.1 \(\)	Ports: $P/open/tcp" "-oG from the merge"
if command -v xmllint >/dev/null && [ -r /usr/share/nmap/nmap.dtd ]; then
	xmllint --noout --dtdvalid /usr/share/nmap/nmap.dtd m.xml 2>x.err
	is $? 0 "the merged XML is valid against nmap's DTD"
else
	skip "needs xmllint and nmap's DTD"
fi
# The open port alone, probed twice: listed in both files, kept once.
"$SOCKKIT" probe -p "$P" 127.0.0.1 -oX o1.xml >/dev/null
"$SOCKKIT" probe --merge o1.xml o1.xml >d.out 2>d.err
like "$(cat d.err)" "1 port listed in two files, kept once" \
    "a port in two files is kept once, and said"
like "$(cat d.out)" "127\.0\.0\.1: 1 port: 1 open" "and counted once"
# Two whole runs: their unlisted ports would count twice.
"$SOCKKIT" probe --merge whole.xml whole.xml >d.out 2>d.err
is $? 1 "two runs of the same ports: exit 1"
like "$(cat d.err)" "the reports give 127\.0\.0\.1 4001 ports, but 2001 were scanned: they overlap" \
    "the overlap is said, not counted twice"

printf 'hello\n' >no.xml
"$SOCKKIT" probe --merge no.xml >e.out 2>&1
is $? 1 "a file that is no report: exit 1"
like "$(cat e.out)" "^sockkit: probe: --merge: no\.xml: not an nmap XML report" \
    "names the file"
sed 's/protocol="tcp"/protocol="udp"/' s1.xml >u.xml
"$SOCKKIT" probe --merge s2.xml u.xml >e.out 2>&1
like "$(cat e.out)" "u\.xml: a udp scan, where the files before are of TCP" \
    "a UDP scan is not merged with a TCP one"
head -c 300 s1.xml >cut.xml
"$SOCKKIT" probe --merge cut.xml >e.out 2>&1
is $? 1 "a report cut short: exit 1"
"$SOCKKIT" probe --merge -p 80 s1.xml >e.out 2>&1
is $? 2 "--merge with an option that probes: usage error"
"$SOCKKIT" probe --merge nosuch.xml >e.out 2>&1
like "$(cat e.out)" "nosuch\.xml: No such file or directory" "a missing file named"
done_testing
