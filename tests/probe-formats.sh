#!/bin/bash
# tests/probe-formats.sh: probe's -oX, -oG, -oN and -oA files against
# real listeners on 127.0.0.1: the XML is valid against nmap's DTD, ndiff
# reads it (two sockkit runs; a sockkit run and an nmap -sT run of the
# same ports) and nmap.xsl renders it; the grepable lines are nmap's; -oN
# is the table stdout shows; a path that cannot be written stops the run
# before it probes.  The checks that need xmllint, ndiff, xsltproc, nmap
# or nmap's DTD skip, naming it, where it is missing.
. "${srcdir:-tests}/lib.sh"

DTD=/usr/share/nmap/nmap.dtd
XSL=/usr/share/nmap/nmap.xsl
# why_not TOOL [FILE]: why a check cannot run here, or nothing.
why_not() {
	command -v "$1" >/dev/null || { echo "$1 is not installed"; return; }
	[ -z "$2" ] || [ -r "$2" ] || echo "$2 is missing (nmap's package)"
}
# check_with TOOL FILE DESCRIPTION COMMAND...: run COMMAND as a check, or
# skip naming what is missing.
check_with() {
	_why=$(why_not "$1" "$2")
	if [ -n "$_why" ]; then skip "$_why"; return; fi
	shift 2
	_d=$1; shift
	"$@" >"$TMP/cw.out" 2>&1
	_rc=$?
	ok $_rc "$_d"
	[ $_rc = 0 ] || sed 's/^/#   /' "$TMP/cw.out" | head -20
}
valid() { xmllint --noout --dtdvalid "$DTD" "$1"; }

plan 38

# Two listeners and 30 closed ports after a free one: more than nmap's 25,
# so both tools leave the closed ones out as "extraports".
bg $SOCKKIT listen -k --mode discard 127.0.0.1 0 >/dev/null 2>"$TMP/l1.err"
P1=$(listen_port "$TMP/l1.err")
bg $SOCKKIT listen -k --mode discard 127.0.0.1 0 >/dev/null 2>"$TMP/l2.err"
P2=$(listen_port "$TMP/l2.err")
L2=${_pids##* }
F=$(free_port)
[ "$F" -le 65500 ] || F=$((F - 40))
PORTS="$P1,$P2,$F-$((F + 29))"
# Those of the 30 that are open anyway (another process): left out below.
CLOSED=$((30 - $($SOCKKIT probe --open -p "$F-$((F + 29))" 127.0.0.1 |
    grep -c /tcp)))

cd "$TMP" || exit 1
$SOCKKIT probe -p "$PORTS" -oX s.xml -oG s.gnmap -oN s.nmap 127.0.0.1 \
    >table.out 2>err.out
is $? 0 "exit 0 with -oX -oG -oN and open ports"
cmp -s table.out s.nmap
ok $? "-oN holds the table stdout shows"
like "$(cat table.out)" "^$P1/tcp +open " "stdout keeps its table"

# XML
check_with xmllint $DTD "-oX is valid against nmap.dtd" valid s.xml
like "$(cat s.xml)" "<port protocol=\"tcp\" portid=\"$P1\"><state state=\"open\" reason=\"syn-ack\" reason_ttl=\"0\"/>" \
    "an open port: syn-ack, reason_ttl 0"
like "$(cat s.xml)" "<extraports state=\"closed\" count=\"$CLOSED\">" \
    "the closed ports as extraports"
like "$(cat s.xml)" "<extrareasons reason=\"conn-refused\" count=\"$CLOSED\" proto=\"tcp\"/>" \
    "their reason: conn-refused, as nmap -sT"
like "$(cat s.xml)" '<scaninfo type="connect" protocol="tcp" numservices="32" ' \
    "scaninfo: connect, tcp, 32 ports"
like "$(cat s.xml)" "args=\"sockkit probe -p $PORTS -oX s.xml" "the args line"
like "$(cat s.xml)" '<finished time="[0-9]+" timestr="[^"]+" summary="Nmap done at [^"]+; 1 IP address \(1 host up\) scanned in [0-9.]+ seconds" elapsed="[0-9.]+" exit="success"/><hosts up="1" down="0" total="1"/>' \
    "runstats: time, elapsed, one host up"
check_with xsltproc $XSL "nmap.xsl renders it" xsltproc -o s.html $XSL s.xml
if [ -s s.html ]; then
	grep -q ">$P1<" s.html
	ok $? "the rendered page lists port $P1"
else
	skip "no rendered page (xsltproc or nmap.xsl is missing)"
fi

# Grepable: nmap's lines
g=$(cat s.gnmap)
like "$g" "^# Nmap sockkit-[^ ]+ scan initiated [A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9]{2} [0-9:]{8} [0-9]{4} as: sockkit probe -p $PORTS" \
    "-oG: nmap's header"
like "$g" "^Host: 127\.0\.0\.1 \(\)	Status: Up$" "-oG: the Status line"
like "$g" "^Host: 127\.0\.0\.1 \(\)	Ports: ([0-9]+/open/tcp//[^/,]*///, )+[0-9]+/open/tcp//[^/,]*///	Ignored State: closed \($CLOSED\)$" \
    "-oG: the Ports line, and the closed ports ignored"
like "$g" "$P1/open/tcp//" "-oG: port $P1"
like "$g" "^# Nmap done at .* -- 1 IP address \(1 host up\) scanned in [0-9]+\.[0-9]{2} seconds$" \
    "-oG: nmap's trailer"
is "$(wc -l <s.gnmap)" 4 "-oG: four lines"

# Side by side with nmap -sT of the same ports: the same lines once the
# services (nmap's own list, not /etc/services) and the header are set
# aside, and ndiff sees nothing but the header and service names.
why=$(why_not nmap)
if [ -z "$why" ]; then
	nmap -sT -n -p "$PORTS" -oX n.xml -oG n.gnmap 127.0.0.1 >/dev/null 2>&1
	strip() { grep -v '^#' "$1" | sed -E 's#(/tcp//)[^/]*///#\1///#g'; }
	is "$(strip s.gnmap)" "$(strip n.gnmap)" \
	    "-oG: the Host lines of nmap -sT, services aside"
else
	skip "$why"
fi
# ndiff_ports A B: the port lines ndiff shows, without service names,
# and any line it shows that is not a header, a port or a blank.
ndiff_ports() {
	ndiff "$1" "$2" | awk '
	/^[-+]Nmap .* scan initiated / || /^ *$/ || /^ 127\.0\.0\.1:$/ ||
	/^ PORT +STATE/ { next }
	/^[-+][0-9]+\/tcp / { print substr($1, 2), $2, substr($1, 1, 1); next }
	{ print "other: " $0 }' | sort
}
# same_ports A B: ndiff's port lines come in -/+ pairs of the same state.
same_ports() {
	_d=$(ndiff_ports "$1" "$2")
	[ -z "$(printf '%s\n' "$_d" | grep '^other')" ] &&
	    [ "$(printf '%s\n' "$_d" | grep ' -$' | cut -d' ' -f1-2)" = \
	    "$(printf '%s\n' "$_d" | grep ' +$' | cut -d' ' -f1-2)" ] ||
	    { printf '%s\n' "$_d"; return 1; }
}
why=$(why_not ndiff)
[ -z "$why" ] && [ ! -s n.xml ] && why="no nmap run to compare (nmap)"
if [ -z "$why" ]; then
	ok_same() { same_ports "$1" "$2" >"$TMP/np.out"; ok $? "$3"
		sed 's/^/#   /' "$TMP/np.out" | head; }
	ok_same n.xml s.xml "ndiff nmap -sT vs sockkit: only the header and services differ"
	$SOCKKIT probe -a -p "$P1,$P2,$F-$((F + 4))" -oX sa.xml 127.0.0.1 \
	    >/dev/null
	nmap -sT -n -p "$P1,$P2,$F-$((F + 4))" -oX na.xml 127.0.0.1 \
	    >/dev/null 2>&1
	ok_same na.xml sa.xml "the same with -a, every port listed"
else
	skip "$why"; skip "$why"
fi
# Two sockkit runs: nothing differs; then one listener stops and ndiff
# names its port.
$SOCKKIT probe -p "$PORTS" -oX s2.xml 127.0.0.1 >/dev/null
kill "$L2"; wait "$L2" 2>/dev/null
$SOCKKIT probe -p "$PORTS" -oX s3.xml 127.0.0.1 >/dev/null
why=$(why_not ndiff)
if [ -z "$why" ]; then
	ndiff s.xml s2.xml >d2.out 2>&1
	ok $? "ndiff of two sockkit runs: no difference (exit 0)"
	ndiff s.xml s3.xml >d3.out 2>&1
	is $? 1 "a listener stopped: ndiff finds a difference (exit 1)"
	like "$(cat d3.out)" "^-$P2/tcp +open" "and names its port"
	is "$(grep -Ev -e "^[-+]Nmap " -e "$P2/tcp" -e '^ *$' -e '127\.0\.0\.1:$' \
	    -e '^ PORT' -e '^[-+]Not shown: [0-9]+ closed ports$' d3.out)" "" \
	    "nothing else but the count of closed ports"
else
	for _ in 1 2 3 4; do skip "$why"; done
fi

# -oA, -oX -
$SOCKKIT probe -p "$PORTS" -oA all 127.0.0.1 >/dev/null
ls all.xml all.gnmap all.nmap >/dev/null 2>&1
ok $? "-oA all: all.xml, all.gnmap, all.nmap"
like "$(cat all.gnmap)" "Ports: $P1/open/tcp//" "all.gnmap is grepable"
out=$($SOCKKIT probe -p "$PORTS" -oX - 127.0.0.1)
like "$(printf '%s\n' "$out" | head -1)" '^<\?xml version="1\.0"' \
    "-oX -: the XML on stdout"
is "$(printf '%s\n' "$out" | grep -c 'PORT  *STATE')" 0 "and no table"
printf '%s\n' "$out" >stdout.xml
check_with xmllint $DTD "-oX - is valid too" valid stdout.xml

$SOCKKIT probe --json -p "$PORTS" -oN j.nmap 127.0.0.1 >j.out
like "$(head -1 j.out)" '^\{"type":"port"' "--json on stdout, and -oN:"
like "$(cat j.nmap)" "^$P1/tcp +open " "the table goes to its file"

# A path that cannot be written: exit 1 before probing (no table)
$SOCKKIT probe -p "$P1" -oX "$TMP/no/such/dir/x.xml" 127.0.0.1 \
    >bad.out 2>bad.err
is $? 1 "an unwritable -oX path: exit 1"
like "$(cat bad.err)" "^sockkit: probe: -oX $TMP/no/such/dir/x\.xml: No such file or directory$" \
    "the message names the option and the path"
is "$(cat bad.out)" "" "nothing was probed"

# IPv6 and a host name
if $SOCKKIT probe -a -p "$F" -oX v6.xml ::1 >/dev/null 2>&1 ||
    [ -s v6.xml ]; then
	like "$(cat v6.xml)" '<address addr="::1" addrtype="ipv6"/>' \
	    "::1 is an ipv6 address"
else
	skip "no IPv6 loopback here"
fi
getent ahostsv4 localhost >/dev/null && named=1 ||
    named="localhost does not resolve here (no /etc/hosts entry)"
if [ "$named" = 1 ]; then
	$SOCKKIT probe -4 -p "$P1" -oX n4.xml -oG n4.gnmap localhost >/dev/null
	like "$(cat n4.xml)" '<hostname name="localhost" type="user"/>' \
	    "the name given is a user hostname"
	like "$(cat n4.gnmap)" "^Host: 127\.0\.0\.1 \(localhost\)	Ports: $P1/open/tcp//" \
	    "and in parentheses in -oG"
else
	skip "$named"; skip "$named"
fi
done_testing
